package org.trapline.attribution.session;

/** Acct-Status-Type values that change what Trapline knows about sessions (RFC 2866). */
public enum AccountingStatus {
    START(1), STOP(2), INTERIM_UPDATE(3), ACCOUNTING_ON(7), ACCOUNTING_OFF(8), OTHER(-1);

    private final int code;

    AccountingStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static AccountingStatus ofCode(int code) {
        for (AccountingStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return OTHER;
    }

    /** FreeRADIUS dictionary names ("Start", "Interim-Update", "Alive", ...) or the number. */
    public static AccountingStatus ofName(String name) {
        return switch (name.trim()) {
            case "Start" -> START;
            case "Stop" -> STOP;
            case "Interim-Update", "Alive" -> INTERIM_UPDATE;
            case "Accounting-On" -> ACCOUNTING_ON;
            case "Accounting-Off" -> ACCOUNTING_OFF;
            default -> {
                try {
                    yield ofCode(Integer.parseInt(name.trim()));
                } catch (NumberFormatException e) {
                    yield OTHER;
                }
            }
        };
    }

    /** True for the NAS-wide events that close every open session of that NAS. */
    public boolean closesNas() {
        return this == ACCOUNTING_ON || this == ACCOUNTING_OFF;
    }
}
