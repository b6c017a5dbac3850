package org.cpmrouter.rules.facts;

import java.util.Objects;

/**
 * The request being decided: one instance per decision. Immutable; build with {@link #builder()}.
 * Never carries the message body, only its length.
 */
public final class MessageContext {

    private final String callId;
    private final Stage stage;
    private final String sender;
    private final String target;
    private final String contentType;
    private final int bodyLength;
    private final String nonCpmServiceId;

    private MessageContext(Builder b) {
        this.callId = Objects.requireNonNull(b.callId, "callId");
        this.stage = Objects.requireNonNull(b.stage, "stage");
        this.sender = b.sender;
        this.target = Objects.requireNonNull(b.target, "target");
        this.contentType = b.contentType;
        if (b.bodyLength < 0) {
            throw new IllegalArgumentException("bodyLength must not be negative: " + b.bodyLength);
        }
        this.bodyLength = b.bodyLength;
        this.nonCpmServiceId = b.nonCpmServiceId;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this context's values, e.g. to ask the next stage about the same message. */
    public Builder toBuilder() {
        return new Builder()
                .callId(callId)
                .stage(stage)
                .sender(sender)
                .target(target)
                .contentType(contentType)
                .bodyLength(bodyLength)
                .nonCpmServiceId(nonCpmServiceId);
    }

    public String getCallId() {
        return callId;
    }

    public Stage getStage() {
        return stage;
    }

    /** Canonical asserted identity of the sender, or {@code null} when none was asserted. */
    public String getSender() {
        return sender;
    }

    /** Canonical target URI. */
    public String getTarget() {
        return target;
    }

    public String getContentType() {
        return contentType;
    }

    public int getBodyLength() {
        return bodyLength;
    }

    /** Identifier of the non-CPM service the request addresses, or {@code null}. */
    public String getNonCpmServiceId() {
        return nonCpmServiceId;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MessageContext)) {
            return false;
        }
        MessageContext that = (MessageContext) o;
        return bodyLength == that.bodyLength
                && callId.equals(that.callId)
                && stage == that.stage
                && Objects.equals(sender, that.sender)
                && target.equals(that.target)
                && Objects.equals(contentType, that.contentType)
                && Objects.equals(nonCpmServiceId, that.nonCpmServiceId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(callId, stage, sender, target, contentType, bodyLength, nonCpmServiceId);
    }

    @Override
    public String toString() {
        return "MessageContext[callId=" + callId + ", stage=" + stage + ", sender=" + sender
                + ", target=" + target + ", contentType=" + contentType + ", bodyLength=" + bodyLength
                + ", nonCpmServiceId=" + nonCpmServiceId + "]";
    }

    /** Builder for {@link MessageContext}; callId, stage and target are required. */
    public static final class Builder {
        private String callId;
        private Stage stage;
        private String sender;
        private String target;
        private String contentType;
        private int bodyLength;
        private String nonCpmServiceId;

        private Builder() {
        }

        public Builder callId(String callId) {
            this.callId = callId;
            return this;
        }

        public Builder stage(Stage stage) {
            this.stage = stage;
            return this;
        }

        public Builder sender(String sender) {
            this.sender = sender;
            return this;
        }

        public Builder target(String target) {
            this.target = target;
            return this;
        }

        public Builder contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        public Builder bodyLength(int bodyLength) {
            this.bodyLength = bodyLength;
            return this;
        }

        public Builder nonCpmServiceId(String nonCpmServiceId) {
            this.nonCpmServiceId = nonCpmServiceId;
            return this;
        }

        public MessageContext build() {
            return new MessageContext(this);
        }
    }
}
