package org.cpmrouter.smpp;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

import org.jsmpp.SMPPConstant;

/** Readable names of SMPP command_status values, for logs and error messages. */
public final class SmppStatus {

    public static final int ESME_ROK = SMPPConstant.STAT_ESME_ROK;
    public static final int ESME_RINVCMDID = SMPPConstant.STAT_ESME_RINVCMDID;
    public static final int ESME_RINVBNDSTS = SMPPConstant.STAT_ESME_RINVBNDSTS;
    public static final int ESME_RSYSERR = SMPPConstant.STAT_ESME_RSYSERR;
    public static final int ESME_RINVDSTADR = SMPPConstant.STAT_ESME_RINVDSTADR;
    public static final int ESME_RBINDFAIL = SMPPConstant.STAT_ESME_RBINDFAIL;
    public static final int ESME_RINVPASWD = SMPPConstant.STAT_ESME_RINVPASWD;
    public static final int ESME_RINVSYSID = SMPPConstant.STAT_ESME_RINVSYSID;
    public static final int ESME_RTHROTTLED = SMPPConstant.STAT_ESME_RTHROTTLED;
    public static final int ESME_RX_T_APPN = SMPPConstant.STAT_ESME_RX_T_APPN;
    public static final int ESME_RX_P_APPN = SMPPConstant.STAT_ESME_RX_P_APPN;
    public static final int ESME_RUNKNOWNERR = SMPPConstant.STAT_ESME_RUNKNOWNERR;

    /** The names come from jSMPP's STAT_ESME_* constants, so that every status it knows has its name. */
    private static final Map<Integer, String> NAMES = namesFromJsmpp();

    private SmppStatus() {
    }

    /** {@code ESME_RINVDSTADR (0x0000000B)}; an unnamed status is shown as {@code 0x...} only. */
    public static String describe(int commandStatus) {
        String hex = String.format("0x%08X", commandStatus);
        String name = NAMES.get(commandStatus);
        return name == null ? hex : name + " (" + hex + ")";
    }

    private static Map<Integer, String> namesFromJsmpp() {
        Map<Integer, String> names = new HashMap<>();
        for (Field field : SMPPConstant.class.getFields()) {
            if (field.getName().startsWith("STAT_ESME_") && field.getType() == int.class
                    && Modifier.isStatic(field.getModifiers())) {
                try {
                    names.putIfAbsent(field.getInt(null), field.getName().substring("STAT_".length()));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + field, e);
                }
            }
        }
        return Map.copyOf(names);
    }
}
