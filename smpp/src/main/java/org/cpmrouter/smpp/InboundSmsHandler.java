package org.cpmrouter.smpp;

/** Takes the mobile-originated SMS that arrive over the link. */
@FunctionalInterface
public interface InboundSmsHandler {

    /**
     * Called for every mobile-originated SMS (deliver_sm that is not a delivery receipt), after reassembling
     * concatenated parts. Return normally to acknowledge with ESME_ROK; throw {@link InboundSmsRejected} to answer
     * deliver_sm_resp with its status (for example 0x00000064 ESME_RX_T_APPN, temporary, so that the SMSC keeps the
     * message and retries): that is how nothing is lost when the CPM side cannot take it. May block: it runs on the
     * link's own bounded worker pool, not on jSMPP's reader thread.
     */
    void onSms(InboundSms sms) throws InboundSmsRejected;

    /**
     * Called for every delivery receipt the SMSC sends for an SMS this link submitted with registered_delivery.
     * Return normally to acknowledge it with ESME_ROK (also when it names no message this side knows: a receipt is
     * never worth a retry by the SMSC); throw {@link InboundSmsRejected} with ESME_RX_T_APPN to have the SMSC send
     * it again later. Runs on the same worker pool as {@link #onSms}. By default receipts are acknowledged and
     * dropped.
     */
    default void onDeliveryReceipt(SmsDeliveryReceipt receipt) throws InboundSmsRejected {
        // acknowledged, nothing to do
    }
}
