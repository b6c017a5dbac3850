package org.cpmrouter.rules.facts;

import java.util.Objects;

/** A CPM Pre-defined Group the store holds at the target URI: inserted by Java at address routing and at the
 * Controlling Function. Immutable. */
public final class KnownGroup {

    private final String uri;
    private final String displayName;
    private final GroupSendPolicy sendPolicy;
    private final boolean supportsCpmMessaging;

    public KnownGroup(String uri, String displayName, GroupSendPolicy sendPolicy, boolean supportsCpmMessaging) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.displayName = Objects.requireNonNull(displayName, "displayName");
        this.sendPolicy = Objects.requireNonNull(sendPolicy, "sendPolicy");
        this.supportsCpmMessaging = supportsCpmMessaging;
    }

    public String getUri() {
        return uri;
    }

    public String getDisplayName() {
        return displayName;
    }

    public GroupSendPolicy getSendPolicy() {
        return sendPolicy;
    }

    public boolean isSupportsCpmMessaging() {
        return supportsCpmMessaging;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof KnownGroup)) {
            return false;
        }
        KnownGroup that = (KnownGroup) o;
        return uri.equals(that.uri) && displayName.equals(that.displayName) && sendPolicy == that.sendPolicy && supportsCpmMessaging == that.supportsCpmMessaging;
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, displayName, sendPolicy, supportsCpmMessaging);
    }

    @Override
    public String toString() {
        return "KnownGroup[" + "uri=" + uri + ", " + "displayName=" + displayName + ", " + "sendPolicy=" + sendPolicy + ", " + "supportsCpmMessaging=" + supportsCpmMessaging + "]";
    }
}
