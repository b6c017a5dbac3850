package org.cpmrouter.routes.admin;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.cpmrouter.groupstore.SubscriberStore;

/**
 * Who may be a member of a Pre-defined Group: a subscriber (any of its identities), or a non-CPM user as the
 * address-type rules classify one (CLASS-030, CLASS-040): a {@code tel:} number no subscriber has, reached by
 * interworking, or an address in a domain of {@code cpm.interworking.non-cpm-domains}. Anyone else would only
 * collect a {@code 404} per group message, logged against them while the sender got {@code 202}. A member who will
 * be provisioned later is created first as a subscriber without a password: it cannot sign in until one is set.
 */
final class GroupMemberCheck {

    /** Status of a refused member: the request is well formed but names someone the router cannot deliver to. */
    static final int REFUSED = 422;

    private final SubscriberStore subscribers;
    private final Set<String> nonCpmDomains;

    GroupMemberCheck(SubscriberStore subscribers, Set<String> nonCpmDomains) {
        this.subscribers = Objects.requireNonNull(subscribers, "subscribers");
        Set<String> domains = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        domains.addAll(nonCpmDomains);
        this.nonCpmDomains = domains;
    }

    /** Refuses ({@value #REFUSED}) the first of these members that is neither a subscriber nor a non-CPM user. */
    void requireDeliverable(List<String> members, String group) {
        for (String member : members) {
            requireDeliverable(member, group);
        }
    }

    void requireDeliverable(String member, String group) {
        if (member.startsWith("tel:") || subscribers.findByIdentity(member).isPresent()
                || nonCpmDomains.contains(domainOf(member))) {
            return;
        }
        throw new GroupAdmin.Refusal(REFUSED, member + " cannot be a member of " + group + ": it is no subscriber and"
                + " not a non-CPM user (a tel: number, or an address of cpm.interworking.non-cpm-domains); provision"
                + " it first: cpm-admin subscribers create " + member + " (without a password it cannot sign in yet)");
    }

    private static String domainOf(String identity) {
        int at = identity.lastIndexOf('@');
        if (at < 0) {
            return "";
        }
        String host = identity.substring(at + 1);
        int end = host.indexOf(';');
        return (end < 0 ? host : host.substring(0, end)).toLowerCase(Locale.ROOT);
    }
}
