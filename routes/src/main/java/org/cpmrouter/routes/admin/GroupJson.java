package org.cpmrouter.routes.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.cpmrouter.groupstore.Group;
import org.cpmrouter.groupstore.SendPolicy;

/**
 * A Pre-defined Group as the admin API shows and takes it:
 * <pre>
 * {"uri": "sip:family@cpm.example.com", "displayName": "Family",
 *  "members": ["sip:alice@cpm.example.com", "tel:+15551230002"], "sendPolicy": "MEMBERS_ONLY",
 *  "allowedSenders": [], "supportedServices": []}
 * </pre>
 * On input only {@code uri} is required; missing lists are empty, a missing policy is {@code MEMBERS_ONLY}.
 */
@JsonPropertyOrder({"uri", "displayName", "members", "sendPolicy", "allowedSenders", "supportedServices"})
public record GroupJson(String uri, String displayName, List<String> members, String sendPolicy,
                        List<String> allowedSenders, List<String> supportedServices) {

    /** {@code sip:user@host}/{@code sips:} or a global {@code tel:} number, no spaces or brackets. */
    private static final Pattern IDENTITY = Pattern.compile("(sips?:[^\\s<>\"@]+@[^\\s<>\"@]+|tel:\\+[0-9]+)(;[^\\s<>\"]*)?");
    private static final Pattern GROUP_URI = Pattern.compile("sips?:[^\\s<>\"]+");

    public static GroupJson of(Group group) {
        return new GroupJson(group.uri(), group.displayName(), group.members(), group.sendPolicy().name(),
                group.allowedSenders(), group.supportedServices());
    }

    /**
     * The domain group; {@link IllegalArgumentException} (a 400) when a field is invalid.
     */
    public Group toGroup() {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("uri is required");
        }
        if (!GROUP_URI.matcher(uri).matches()) {
            throw new IllegalArgumentException("a group URI is a SIP URI (sip:name@domain), got '" + uri + "'");
        }
        return new Group(uri, displayName, identities(members, "member"), policy(sendPolicy),
                identities(allowedSenders, "allowed sender"), services(supportedServices));
    }

    static SendPolicy policy(String name) {
        if (name == null || name.isBlank()) {
            return SendPolicy.MEMBERS_ONLY;
        }
        try {
            return SendPolicy.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sendPolicy is one of " + List.of(SendPolicy.values()) + ", got '"
                    + name + "'");
        }
    }

    /** A member or sender identity, checked and trimmed. */
    static String identity(String identity, String what) {
        if (identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("blank " + what);
        }
        String trimmed = identity.trim();
        if (!IDENTITY.matcher(trimmed).matches()) {
            throw new IllegalArgumentException(what + " '" + identity
                    + "' is not a sip:user@domain or tel:+number identity");
        }
        return trimmed;
    }

    private static List<String> identities(List<String> identities, String what) {
        if (identities == null) {
            return List.of();
        }
        List<String> checked = new ArrayList<>(identities.size());
        for (String identity : identities) {
            checked.add(identity(identity, what));
        }
        return checked;
    }

    private static List<String> services(List<String> services) {
        if (services == null) {
            return List.of();
        }
        for (String service : services) {
            if (service == null || service.isBlank()) {
                throw new IllegalArgumentException("blank supported service");
            }
        }
        return services;
    }
}
