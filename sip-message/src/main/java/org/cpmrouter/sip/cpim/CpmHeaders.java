package org.cpmrouter.sip.cpim;

/**
 * SIP header names and values of a CPM pager-mode message ({@code shared/docs/wire-format.md} section 1.3), in one
 * place so that an encoding still marked unconfirmed there changes in one line.
 */
public final class CpmHeaders {

    public static final String CONVERSATION_ID = "Conversation-ID";
    public static final String CONTRIBUTION_ID = "Contribution-ID";
    public static final String IN_REPLY_TO_CONTRIBUTION_ID = "InReplyTo-Contribution-ID";
    public static final String P_PREFERRED_SERVICE = "P-Preferred-Service";
    public static final String P_ASSERTED_SERVICE = "P-Asserted-Service";
    public static final String P_PREFERRED_IDENTITY = "P-Preferred-Identity";
    public static final String P_ASSERTED_IDENTITY = "P-Asserted-Identity";
    /** RFC 5502; here also the marker of which leg of the path a request has been through. */
    public static final String P_SERVED_USER = "P-Served-User";
    public static final String REFERRED_BY = "Referred-By";
    public static final String ACCEPT_CONTACT = "Accept-Contact";

    /** The ICSI of a CPM pager-mode standalone message. */
    public static final String CPM_MSG_ICSI = "urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg";
    /** Accept-Contact value that asks for a CPM pager-mode capable contact. */
    public static final String CPM_MSG_ACCEPT_CONTACT =
            "*;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.msg\"";
    public static final String MESSAGE_CPIM = "message/cpim";

    private CpmHeaders() {
    }
}
