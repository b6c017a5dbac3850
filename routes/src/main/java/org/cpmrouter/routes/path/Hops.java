package org.cpmrouter.routes.path;

/**
 * The path of a CPM Message through this router, in one place: where each role takes requests (its in-process
 * Camel endpoint) and the {@code cpm.hop.*} setting through which the role before it reaches it. In path order
 * (OMA CPM clause 5.2.2.1):
 *
 * <pre>
 * SIP network ──► ingress ──► SIP/IP Core ─(NEW)──────────────► {@value #PARTICIPATING_ORIGINATING_HOP}
 *                    │          ▲  │                                   │ authorize sender
 *                    │          │  │◄──────────── {@value #CORE_HOP} ◄─┘
 *                    ▼          │  │ (ORIGINATING_DONE) route by address type:
 *                registrar      │  ├──► {@value #PARTICIPATING_TERMINATING_HOP} ─► authorize delivery ─► core
 *                               │  ├──► {@value #CONTROLLING_FUNCTION_HOP} ─► one copy per member ─► core
 *                               │  ├──► {@value #URI_LIST_SERVICE_HOP} ─► one copy per listed recipient ─► core
 *                               │  └──► {@value #INTERWORKING_HOP} ─► SMSC (SMPP)
 *                               │ (TERMINATING_DONE)
 *                               └──► recipient delivery ─► {@value #RECIPIENT_CLIENT_HOP}
 * </pre>
 *
 * A role route takes requests from its endpoint here; the route before it sends to the role's {@code *_HOP}
 * setting, which is the same endpoint when the role runs in this process and a {@code sip-message:} URI when it
 * runs on another node. No route class names another route's endpoint: they all come from here.
 */
public final class Hops {

    /** Every request the router receives over SIP, screened and authenticated, enters the core here. */
    public static final String SIP_IP_CORE = "direct:sip-ip-core";
    /** The core's registrar: REGISTER requests. */
    public static final String REGISTRAR = "direct:registrar";
    /** The sender's Conversation Server, Participating Function (originating). */
    public static final String PARTICIPATING_ORIGINATING = "direct:participating-originating";
    /** The recipient's Conversation Server, Participating Function (terminating). */
    public static final String PARTICIPATING_TERMINATING = "direct:participating-terminating";
    /** The Controlling Function hosting a CPM Pre-defined Group. */
    public static final String CONTROLLING_FUNCTION = "direct:controlling-function";
    /** The URI-list service (RFC 5365): one copy to each recipient of the list a request carries. */
    public static final String URI_LIST_SERVICE = "direct:uri-list-service";
    /** The Interworking Function towards non-CPM users. */
    public static final String INTERWORKING = "direct:interworking-function";
    /** The core serving the recipient: delivery to the recipient's registered client. */
    public static final String RECIPIENT_DELIVERY = "direct:recipient-delivery";
    /** One copy to one device of the recipient (live, or from the deferred store). */
    public static final String RECIPIENT_DEVICE = "direct:recipient-device";
    /** A recipient registered a contact: messages held for it go out. */
    public static final String RECIPIENT_REGISTERED = "direct:recipient-registered";

    /** Setting: Participating Functions → SIP/IP Core. */
    public static final String CORE_HOP = "cpm.hop.core";
    /** Setting: SIP/IP Core → the sender's Participating Function. */
    public static final String PARTICIPATING_ORIGINATING_HOP = "cpm.hop.participating-originating";
    /** Setting: SIP/IP Core → the recipient's Participating Function. */
    public static final String PARTICIPATING_TERMINATING_HOP = "cpm.hop.participating-terminating";
    /** Setting: SIP/IP Core → the Controlling Function. */
    public static final String CONTROLLING_FUNCTION_HOP = "cpm.hop.controlling-function";
    /** Setting: SIP/IP Core → the URI-list service. */
    public static final String URI_LIST_SERVICE_HOP = "cpm.hop.uri-list-service";
    /** Setting: SIP/IP Core → the Interworking Function. */
    public static final String INTERWORKING_HOP = "cpm.hop.interworking";
    /** Setting: SIP/IP Core → the recipient's registered client. */
    public static final String RECIPIENT_CLIENT_HOP = "cpm.hop.recipient-client";

    private Hops() {
    }

    /** The endpoint URI a hop setting names, as a Camel property placeholder: {@code {{cpm.hop.core}}}. */
    public static String via(String hopSetting) {
        return "{{" + hopSetting + "}}";
    }
}
