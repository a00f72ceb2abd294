package dev.junction.routing.internal;

import java.util.Locale;

/** PostgreSQL WAL positions ({@code pg_lsn}, written {@code 16/B374D848}) as unsigned 64-bit byte offsets. */
public final class Lsn {
    private Lsn() {
    }

    /**
     * @throws IllegalArgumentException when {@code text} is not of the form {@code hex/hex}
     */
    public static long parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not a WAL position (expected e.g. 16/B374D848)");
        }
        long hi = Long.parseLong(text.substring(0, slash), 16);
        long lo = Long.parseLong(text.substring(slash + 1), 16);
        return (hi << 32) | (lo & 0xFFFFFFFFL);
    }

    public static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase(Locale.ROOT) + "/"
                + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase(Locale.ROOT);
    }

    /** Bytes from {@code behind} to {@code ahead}, like {@code pg_wal_lsn_diff}, never negative. */
    public static long bytesBehind(long ahead, long behind) {
        return Math.max(0, Long.compareUnsigned(ahead, behind) > 0 ? ahead - behind : 0);
    }
}
