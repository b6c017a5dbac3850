package org.cpmrouter.smpp;

/** The alphabet of a short message on the SMPP wire. */
public enum SmsEncoding {
    /** data_coding 0x00: the SMSC default alphabet, which the link takes to be GSM 03.38 7-bit. */
    GSM7(0x00),
    /** data_coding 0x08: UCS-2, sent as UTF-16BE so that characters outside the BMP survive as surrogate pairs. */
    UCS2(0x08);

    private final int dataCoding;

    SmsEncoding(int dataCoding) {
        this.dataCoding = dataCoding;
    }

    /** The SMPP data_coding value. */
    public int dataCoding() {
        return dataCoding;
    }
}
