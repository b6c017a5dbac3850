package org.cpmrouter.routes.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.cpmrouter.sip.SipResponseException;
import org.cpmrouter.sip.urilist.RecipientList;
import org.cpmrouter.sip.urilist.RecipientList.CopyControl;
import org.cpmrouter.sip.urilist.RecipientList.Entry;

/**
 * A recipient list expanded into the targets the URI-list service sends a copy to (RFC 5365): each entry's address
 * resolved to an identity (a subscriber's {@code tel:} alias is the subscriber), duplicates removed (one copy per
 * identity; when one identity is listed with different copy controls the most private wins: bcc over cc over to,
 * and anonymized if any entry asks), entries that are URI lists themselves counted apart (a reference to a list
 * elsewhere, or this service's own address), and what a recipient is shown of the list: the
 * {@code recipient-list-history} without bcc entries, an anonymized entry as {@value #ANONYMOUS} (RFC 5364).
 *
 * @param targets    the distinct targets, in the order of their first entry
 * @param duplicates entries left out as repeating an earlier target
 * @param nested     entries and references that are URI lists (refused by ULIST-040)
 * @param history    what every recipient is shown of the list, or null when it discloses nobody
 */
public record UriListExpansion(List<Target> targets, int duplicates, List<String> nested, RecipientList history) {

    /** The address an anonymized recipient is shown as (RFC 3323 section 4.1.1.3). */
    public static final String ANONYMOUS = "sip:anonymous@anonymous.invalid";

    /** One target: the identity a copy is addressed to, and how the sender addressed it. */
    public record Target(String identity, CopyControl copyControl, boolean anonymize) {
    }

    public UriListExpansion {
        targets = List.copyOf(targets);
        nested = List.copyOf(nested);
    }

    /**
     * Expands a list.
     *
     * @param identityOf    an entry's address to the identity a copy goes to; null when it is no sip:, sips: or tel:
     *                      URI
     * @param serviceAddress this service's own address (canonical): an entry naming it is a nested list
     * @throws SipResponseException 400 naming an entry that is no sip:, sips: or tel: URI
     */
    public static UriListExpansion of(RecipientList list, UnaryOperator<String> identityOf, String serviceAddress) {
        Map<String, Target> targets = new LinkedHashMap<>();
        List<String> nested = new ArrayList<>(list.references());
        int duplicates = 0;
        for (Entry entry : list.entries()) {
            String identity = identityOf.apply(entry.uri());
            if (identity == null) {
                throw new SipResponseException(400, "Recipient list entry '" + printable(entry.uri())
                        + "' is not a sip:, sips: or tel: URI");
            }
            if (identity.equals(serviceAddress)) {
                nested.add(entry.uri());
                continue;
            }
            Target earlier = targets.get(identity);
            if (earlier == null) {
                targets.put(identity, new Target(identity, entry.copyControl(), entry.anonymize()));
            } else {
                duplicates++;
                CopyControl kept = entry.copyControl().compareTo(earlier.copyControl()) > 0 ? entry.copyControl()
                        : earlier.copyControl();
                targets.put(identity, new Target(identity, kept, earlier.anonymize() || entry.anonymize()));
            }
        }
        List<Entry> shown = new ArrayList<>();
        for (Target t : targets.values()) {
            if (t.copyControl() != CopyControl.BCC) {
                shown.add(new Entry(t.anonymize() ? ANONYMOUS : t.identity(), t.copyControl(), false));
            }
        }
        return new UriListExpansion(new ArrayList<>(targets.values()), duplicates, nested,
                shown.isEmpty() ? null : RecipientList.of(shown));
    }

    /** The targets' identities, in order. */
    public List<String> identities() {
        return targets.stream().map(Target::identity).toList();
    }

    /** An address from the wire for a reason phrase: printable characters only, at most 80 of them. */
    private static String printable(String text) {
        String clean = text.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 80 ? clean.substring(0, 77) + "..." : clean;
    }
}
