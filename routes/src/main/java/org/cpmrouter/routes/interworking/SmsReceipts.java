package org.cpmrouter.routes.interworking;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

import org.cpmrouter.groupstore.AwaitedSmsReceipt;
import org.cpmrouter.groupstore.SmsReceiptStore;
import org.cpmrouter.routes.config.RouterConfig;
import org.cpmrouter.routes.reports.DeliveryReports;
import org.cpmrouter.routes.reports.ImdnStatus;
import org.cpmrouter.routes.reports.ReportedMessage;
import org.cpmrouter.smpp.InboundSmsRejected;
import org.cpmrouter.smpp.SmsDeliveryReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMS delivery receipts as IMDNs (TS 23.204: the IP-SM-GW maps an SMS status report to an IMDN for the original
 * message): an SMS sent for a CPM Message whose sender asked for a delivery report awaits its receipt in the
 * {@link SmsReceiptStore}, by the SMSC's message id of each part, for {@code cpm.reports.sms-receipt-expiry-hours};
 * the receipt that settles it (the last part delivered, or the first that failed) becomes a {@code delivered} or
 * {@code failed} report to the sender with the original Message-ID ({@link DeliveryReports}).
 */
final class SmsReceipts {

    private static final Logger LOG = LoggerFactory.getLogger(SmsReceipts.class);

    /** The SMPP answer that has the SMSC send a receipt again later (ESME_RX_T_APPN). */
    private static final int RETRY_LATER = 0x00000064;

    private final SmsReceiptStore store;
    private final DeliveryReports reports;
    private final Duration expiry;
    private final Clock clock;

    SmsReceipts(SmsReceiptStore store, DeliveryReports reports, Duration expiry, Clock clock) {
        this.store = store;
        this.reports = reports;
        this.expiry = expiry;
        this.clock = clock;
    }

    static SmsReceipts from(RouterConfig config, SmsReceiptStore store, DeliveryReports reports) {
        return new SmsReceipts(store, reports, Duration.ofHours(config.getInt("cpm.reports.sms-receipt-expiry-hours")),
                Clock.systemUTC());
    }

    /** The SMS of {@code message} was accepted as these parts: wait for their receipts. */
    void await(ReportedMessage message, List<String> smscIds) {
        long expires = clock.millis() + expiry.toMillis();
        try {
            store.expect(new AwaitedSmsReceipt(message.callId(), message.sender(), message.recipient(),
                    message.messageId(), message.dispositionNotificationList(), message.dateTime(), smscIds, expires));
            LOG.info("interworking callId={} messageId={} smscIds={}: delivery receipt awaited for {} h",
                    message.callId(), message.messageId(), smscIds, expiry.toHours());
        } catch (RuntimeException e) {
            // the SMS is out; only its report is lost
            LOG.warn("interworking callId={} messageId={} smscIds={}: the receipt cannot be awaited, no delivery "
                    + "report will follow: {}", message.callId(), message.messageId(),
                    smscIds, e.toString());
        }
    }

    /** A receipt from the SMSC: the report it settles, if any, goes to the sender. */
    void onReceipt(SmsDeliveryReceipt receipt) throws InboundSmsRejected {
        if (receipt.outcome() == SmsDeliveryReceipt.Outcome.PENDING || receipt.smscMessageId() == null) {
            LOG.info("interworking receipt smscId={} state={} ({} -> {}): not final, nothing to report",
                    receipt.smscMessageId(), receipt.state(), receipt.sourceNumber(), receipt.destinationNumber());
            return;
        }
        boolean delivered = receipt.outcome() == SmsDeliveryReceipt.Outcome.DELIVERED;
        Optional<AwaitedSmsReceipt> settled;
        try {
            settled = store.settle(receipt.smscMessageId(), delivered);
        } catch (RuntimeException e) {
            LOG.warn("interworking receipt smscId={} state={}: the receipt store failed, the SMSC is asked to send it "
                    + "again: {}", receipt.smscMessageId(), receipt.state(), e.toString());
            throw new InboundSmsRejected(RETRY_LATER, "receipt store unavailable");
        }
        if (settled.isEmpty()) {
            LOG.info("interworking receipt smscId={} state={} ({} -> {}): nothing to report (no message awaits it, "
                    + "it expired, was reported already, or waits for its other parts)", receipt.smscMessageId(),
                    receipt.state(), receipt.sourceNumber(), receipt.destinationNumber());
            return;
        }
        AwaitedSmsReceipt awaited = settled.get();
        LOG.info("interworking callId={} messageId={} smscId={} receipt {}: SMS {} to {}", awaited.callId(),
                awaited.messageId(), receipt.smscMessageId(), receipt.state(),
                delivered ? "delivered" : "failed", awaited.recipient());
        reports.report(new ReportedMessage(awaited.callId(), awaited.sender(), awaited.recipient(),
                        awaited.messageId(), new HashSet<>(awaited.dispositionNotification()), awaited.dateTime()),
                delivered ? ImdnStatus.DELIVERED : ImdnStatus.FAILED, "SMSC receipt " + receipt.state());
    }
}
