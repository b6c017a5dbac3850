package org.cpmrouter.smpp;

import java.util.List;

/**
 * What the SMSC accepted.
 *
 * @param messageIds the SMSC's message_id of each part, in part order
 * @param segments   how many submit_sm the text took (1 for a single SMS)
 * @param encoding   the alphabet used
 */
public record SubmitResult(List<String> messageIds, int segments, SmsEncoding encoding) {

    public SubmitResult {
        messageIds = List.copyOf(messageIds);
    }
}
