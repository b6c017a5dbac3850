package org.cpmrouter.sip;

/** Default reason phrases for the status codes this project sends (RFC 3261 section 21, RFC 3428). */
public final class SipStatus {

    private SipStatus() {
    }

    public static String reasonPhrase(int status) {
        switch (status) {
            case 100: return "Trying";
            case 200: return "OK";
            case 202: return "Accepted";
            case 400: return "Bad Request";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 413: return "Request Entity Too Large";
            case 415: return "Unsupported Media Type";
            case 416: return "Unsupported URI Scheme";
            case 423: return "Interval Too Brief";
            case 480: return "Temporarily Unavailable";
            case 481: return "Call/Transaction Does Not Exist";
            case 482: return "Loop Detected";
            case 483: return "Too Many Hops";
            case 488: return "Not Acceptable Here";
            case 500: return "Server Internal Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Server Time-out";
            case 505: return "Version Not Supported";
            case 603: return "Decline";
            default:
                if (status < 200) {
                    return "Trying";
                } else if (status < 300) {
                    return "OK";
                } else if (status < 400) {
                    return "Redirection";
                } else if (status < 500) {
                    return "Client Error";
                } else if (status < 600) {
                    return "Server Error";
                }
                return "Global Failure";
        }
    }
}
