package org.cpmrouter.routes.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.cpmrouter.groupstore.Group;
import org.cpmrouter.groupstore.GroupStore;
import org.cpmrouter.sip.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each admin API request does to the {@link GroupStore}, and the reply. Every failure becomes a JSON
 * {@code {"error": "..."}} with its status here, so nothing depends on Camel's error handling (the router runs
 * with none) and no stack trace reaches a client. Every member must be someone the router can deliver to
 * ({@link GroupMemberCheck}); every change is one {@link AdminAudit} line.
 */
public final class GroupAdmin {

    /** The path parameters of the REST DSL, one header each (URL-decoded by the HTTP server). */
    static final String URI = "uri";
    static final String MEMBER = "member";

    static final String JSON = "application/json; charset=utf-8";
    static final String XML = "application/xml; charset=utf-8";

    private static final Logger LOG = LoggerFactory.getLogger("org.cpmrouter.admin");

    private final GroupStore groups;
    private final GroupDocumentCodec documents;
    private final GroupMemberCheck memberCheck;
    private final AdminAudit audit;
    private static final ObjectMapper json = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    GroupAdmin(GroupStore groups, GroupDocumentCodec documents, GroupMemberCheck memberCheck, AdminAudit audit) {
        this.groups = groups;
        this.documents = documents;
        this.memberCheck = memberCheck;
        this.audit = audit;
    }

    /** A refusal with its status; the message goes to the client. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        Refusal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    record Reply(int status, String contentType, byte[] body) {
        static Reply empty(int status) {
            return new Reply(status, null, null);
        }
    }

    @FunctionalInterface
    interface Handler {
        Reply handle(Message request) throws Exception;
    }

    /** Runs a handler and puts its reply (or the error it became) on the exchange for the HTTP server. */
    static void serve(Exchange exchange, Handler handler) {
        Message message = exchange.getMessage();
        Reply reply;
        try {
            reply = handler.handle(message);
        } catch (Refusal r) {
            reply = error(r.status, r.getMessage());
        } catch (IllegalArgumentException e) {
            reply = error(400, e.getMessage());
        } catch (Exception | LinkageError e) {
            LOG.warn("admin {} {} failed: {}", LogText.of(message.getHeader(Exchange.HTTP_METHOD)),
                    LogText.of(message.getHeader(Exchange.HTTP_PATH)), LogText.of(e.toString()));
            reply = error(500, "internal error: " + e.getClass().getSimpleName());
        }
        // request headers would otherwise go back as response headers
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, reply.status());
        if (reply.contentType() != null) {
            message.setHeader(Exchange.CONTENT_TYPE, reply.contentType());
        }
        message.setBody(reply.body());
    }

    // ---- groups

    Reply list(Message request) {
        return ok(200, groups.list().stream().map(GroupJson::of).toList());
    }

    Reply create(Message request) {
        Group group = readGroup(request).toGroup();
        memberCheck.requireDeliverable(group.members(), group.uri());
        if (!groups.create(group)) {
            throw new Refusal(409, "group " + group.uri() + " already exists");
        }
        audit.record(request, "group.create", group.uri(), summary(group));
        return ok(201, GroupJson.of(group));
    }

    Reply get(Message request) {
        return ok(200, GroupJson.of(existing(pathUri(request))));
    }

    Reply put(Message request) {
        String uri = pathUri(request);
        GroupJson body = readGroup(request);
        if (body.uri() != null && !body.uri().equals(uri)) {
            throw new Refusal(400, "uri in the body (" + body.uri() + ") does not match the path (" + uri + ")");
        }
        Group group = new GroupJson(uri, body.displayName(), body.members(), body.sendPolicy(), body.allowedSenders(),
                body.supportedServices()).toGroup();
        memberCheck.requireDeliverable(group.members(), uri);
        Optional<Group> previous = groups.put(group);
        audit.record(request, previous.isPresent() ? "group.replace" : "group.create", uri, summary(group));
        return ok(previous.isPresent() ? 200 : 201, GroupJson.of(group));
    }

    Reply delete(Message request) {
        String uri = pathUri(request);
        if (!groups.delete(uri)) {
            throw noGroup(uri);
        }
        audit.record(request, "group.delete", uri, null);
        return Reply.empty(204);
    }

    // ---- members

    Reply members(Message request) {
        return ok(200, existing(pathUri(request)).members());
    }

    Reply addMember(Message request) {
        String uri = pathUri(request);
        MemberJson body = read(request, MemberJson.class);
        String member = GroupJson.identity(body.member(), "member");
        if (groups.find(uri).isEmpty()) {
            throw noGroup(uri);
        }
        memberCheck.requireDeliverable(member, uri);
        AtomicBoolean added = new AtomicBoolean();
        Group group = groups.update(uri, current -> {
            boolean isNew = !current.isMember(member);
            added.set(isNew);
            return isNew ? current.withMember(member) : current;
        }).orElseThrow(() -> noGroup(uri));
        if (added.get()) {
            audit.record(request, "group.member.add", uri, Map.of("member", member, "members",
                    group.members().size()));
        }
        return ok(added.get() ? 201 : 200, group.members());
    }

    Reply removeMember(Message request) {
        String uri = pathUri(request);
        String member = pathParam(request, MEMBER).trim();
        if (!groups.removeMember(uri, member)) {
            throw groups.find(uri).isPresent()
                    ? new Refusal(404, member + " is not a member of " + uri)
                    : noGroup(uri);
        }
        audit.record(request, "group.member.remove", uri, Map.of("member", member));
        return Reply.empty(204);
    }

    // ---- the OMA XDM list-service document

    Reply document(Message request) {
        Group group = existing(pathUri(request));
        return new Reply(200, XML, codec().write(group));
    }

    Reply putDocument(Message request) {
        String uri = pathUri(request);
        byte[] xml = body(request);
        GroupDocumentCodec codec = codec();
        Group group;
        try {
            group = codec.parse(xml, uri);
        } catch (GroupDocumentCodec.InvalidDocumentException e) {
            throw new Refusal(400, e.getMessage());
        }
        if (!uri.equals(group.uri())) {
            throw new Refusal(400, "the document's list-service uri (" + group.uri() + ") does not match the path ("
                    + uri + ")");
        }
        memberCheck.requireDeliverable(group.members(), uri);
        Optional<Group> previous = groups.put(group);
        audit.record(request, previous.isPresent() ? "group.document.replace" : "group.document.create", uri,
                summary(group));
        return ok(previous.isPresent() ? 200 : 201, GroupJson.of(group));
    }

    // ---- helpers

    private GroupDocumentCodec codec() {
        if (documents == null) {
            throw new Refusal(501, "group documents are not available in this build (no XDM codec)");
        }
        return documents;
    }

    /** What the audit says of a group: its size and policy, not every member. */
    private static Map<String, Object> summary(Group group) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("displayName", group.displayName());
        m.put("members", group.members().size());
        m.put("sendPolicy", group.sendPolicy().name());
        return m;
    }

    private Group existing(String uri) {
        return groups.find(uri).orElseThrow(() -> noGroup(uri));
    }

    private static Refusal noGroup(String uri) {
        return new Refusal(404, "no group " + uri);
    }

    private static String pathUri(Message request) {
        return pathParam(request, URI);
    }

    static String pathParam(Message request, String name) {
        String value = request.getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            throw new Refusal(400, "missing " + name + " in the path");
        }
        return value;
    }

    private static byte[] body(Message request) {
        byte[] body = request.getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw new Refusal(400, "empty request body");
        }
        return body;
    }

    private GroupJson readGroup(Message request) {
        return read(request, GroupJson.class);
    }

    /** The JSON body as a value of {@code type}; a {@link Refusal} (400) saying what is wrong with it. */
    static <T> T read(Message request, Class<T> type) {
        try {
            T value = json.readValue(body(request), type);
            if (value == null) {
                throw new Refusal(400, "expected a JSON object");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new Refusal(400, "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Refusal(400, "unreadable body: " + e.getMessage());
        }
    }

    static Reply ok(int status, Object value) {
        try {
            return new Reply(status, JSON, json.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Reply error(int status, String message) {
        try {
            return new Reply(status, JSON, json.writeValueAsBytes(Map.of("error",
                    message == null ? "error " + status : message)));
        } catch (JsonProcessingException e) {
            return new Reply(status, JSON, "{\"error\":\"error\"}".getBytes(StandardCharsets.UTF_8));
        }
    }
}
