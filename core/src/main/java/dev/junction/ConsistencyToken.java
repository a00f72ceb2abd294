package dev.junction;

import dev.junction.InvalidConsistencyTokenException.Problem;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * The position of a committed write in the primary's WAL: a replica may serve a read that must see this write only
 * once it has replayed that position. Carries the cluster's system identifier (so a token from another cluster is
 * recognised as foreign), the timeline (so a token from before a failover is never judged reached on another
 * history), the WAL position at or after the end of the commit record, and the commit time (for the time-based
 * mode).
 *
 * <p>{@link #encode()} gives a compact, versioned string of 39 characters from the URL- and cookie-safe alphabet
 * {@code [A-Za-z0-9_-]}, with a checksum, so it can travel in an HTTP header, a cookie, a query parameter or a job
 * payload. Immutable and thread-safe.
 */
public final class ConsistencyToken {
    static final int VERSION = 1;
    private static final int BYTES = 1 + 8 + 4 + 8 + 6 + 2;
    /** Length of {@link #encode()}: 29 bytes in unpadded base64url. */
    public static final int ENCODED_LENGTH = 39;

    private final long systemIdentifier;
    private final int timeline;
    private final long lsn;
    private final long committedAtMillis;

    private ConsistencyToken(long systemIdentifier, int timeline, long lsn, long committedAtMillis) {
        this.systemIdentifier = systemIdentifier;
        this.timeline = timeline;
        this.lsn = lsn;
        this.committedAtMillis = committedAtMillis;
    }

    /**
     * A token for a commit.
     *
     * @param systemIdentifier the cluster's {@code pg_control_system().system_identifier}
     * @param timeline         the primary's timeline when the commit happened (>= 1)
     * @param lsn              a WAL position at or after the end of the commit record, as a 64-bit number
     * @param committedAt      when the commit was acknowledged (millisecond precision is kept)
     */
    public static ConsistencyToken of(long systemIdentifier, int timeline, long lsn, Instant committedAt) {
        if (timeline < 1) {
            throw new IllegalArgumentException("timeline must be >= 1, but was " + timeline);
        }
        long millis = committedAt.toEpochMilli();
        if (millis < 0 || millis >= 1L << 48) {
            throw new IllegalArgumentException("committedAt must be between 1970 and year 10889, but was "
                    + committedAt);
        }
        return new ConsistencyToken(systemIdentifier, timeline, lsn, millis);
    }

    /**
     * Decodes a token produced by {@link #encode()}.
     *
     * @throws InvalidConsistencyTokenException when the text is empty, truncated, not base64url, fails its
     *                                          checksum, or has a format version this library does not know
     */
    public static ConsistencyToken parse(@Nullable String encoded) {
        if (encoded == null || encoded.isBlank()) {
            throw new InvalidConsistencyTokenException(Problem.EMPTY, "consistency token is empty; pass the"
                    + " token string returned by Commit.token().encode(), or read with Consistency.eventual()");
        }
        String text = encoded.strip();
        if (text.length() != ENCODED_LENGTH) {
            throw new InvalidConsistencyTokenException(Problem.LENGTH, "consistency token has " + text.length()
                    + " characters, expected " + ENCODED_LENGTH + " (truncated or altered in transit?); carry it"
                    + " unchanged, e.g. in a header or cookie");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidConsistencyTokenException(Problem.ALPHABET, "consistency token contains characters"
                    + " outside [A-Za-z0-9_-]; carry it unchanged (it is already URL- and cookie-safe, do not"
                    + " re-encode it)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int version = Byte.toUnsignedInt(buffer.get());
        if (version != VERSION) {
            throw new InvalidConsistencyTokenException(Problem.VERSION, "consistency token format version "
                    + version + " is not supported (this Junction reads version " + VERSION + "); was it issued by"
                    + " a newer Junction? Upgrade every app instance that shares tokens");
        }
        if (checksum(bytes) != Short.toUnsignedInt(ByteBuffer.wrap(bytes, BYTES - 2, 2).getShort())) {
            throw new InvalidConsistencyTokenException(Problem.CHECKSUM, "consistency token checksum does not"
                    + " match (corrupted or forged); carry it unchanged");
        }
        long system = buffer.getLong();
        int tli = buffer.getInt();
        long position = buffer.getLong();
        long millis = (Short.toUnsignedLong(buffer.getShort()) << 32) | Integer.toUnsignedLong(buffer.getInt());
        if (tli < 1) {
            throw new InvalidConsistencyTokenException(Problem.TIMELINE, "consistency token names timeline " + tli
                    + ", but timelines start at 1; carry the token unchanged");
        }
        return new ConsistencyToken(system, tli, position, millis);
    }

    /** The compact string form: 39 characters of base64url, safe in URLs, headers and cookies. */
    public String encode() {
        ByteBuffer buffer = ByteBuffer.allocate(BYTES);
        buffer.put((byte) VERSION).putLong(systemIdentifier).putInt(timeline).putLong(lsn)
                .putShort((short) (committedAtMillis >>> 32)).putInt((int) committedAtMillis);
        byte[] bytes = buffer.array();
        buffer.putShort((short) checksum(bytes));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The later of two tokens of one cluster: the one on the newer timeline, else the one with the higher WAL
     * position. Reading after the merged token sees both writes.
     *
     * @throws IllegalArgumentException when the tokens come from different clusters (system identifiers differ and
     *                                  neither is 0, unknown)
     */
    public ConsistencyToken merge(ConsistencyToken other) {
        if (other.systemIdentifier != systemIdentifier && other.systemIdentifier != 0 && systemIdentifier != 0) {
            throw new IllegalArgumentException("cannot merge consistency tokens of different clusters (system"
                    + " identifiers " + Long.toUnsignedString(systemIdentifier) + " and "
                    + Long.toUnsignedString(other.systemIdentifier) + ")");
        }
        boolean otherLater = other.timeline != timeline ? other.timeline > timeline
                : Long.compareUnsigned(other.lsn, lsn) > 0;
        ConsistencyToken later = otherLater ? other : this;
        long millis = Math.max(committedAtMillis, other.committedAtMillis);
        // 0 is "unknown" (the role could not read it); keep the known identifier.
        long system = later.systemIdentifier != 0 ? later.systemIdentifier : otherLater ? systemIdentifier
                : other.systemIdentifier;
        return later.committedAtMillis == millis && later.systemIdentifier == system ? later
                : new ConsistencyToken(system, later.timeline, later.lsn, millis);
    }

    /** The cluster's system identifier ({@code pg_control_system().system_identifier}). */
    public long systemIdentifier() {
        return systemIdentifier;
    }

    /** The primary's timeline at commit. */
    public int timeline() {
        return timeline;
    }

    /** The WAL position as a 64-bit number; compare unsigned. */
    public long lsn() {
        return lsn;
    }

    /** The WAL position in PostgreSQL's text form, e.g. {@code 0/16B3748}, for {@code ::pg_lsn} casts. */
    public String lsnText() {
        return Long.toHexString(lsn >>> 32).toUpperCase(java.util.Locale.ROOT) + "/"
                + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase(java.util.Locale.ROOT);
    }

    /** When the commit was acknowledged, to the millisecond. */
    public Instant committedAt() {
        return Instant.ofEpochMilli(committedAtMillis);
    }

    /** Parses PostgreSQL's text form of a WAL position ({@code X/Y} in hex) into a 64-bit number. */
    public static long parseLsn(String text) {
        int slash = text.indexOf('/');
        if (slash < 1 || slash == text.length() - 1) {
            throw new IllegalArgumentException("WAL position must look like 0/16B3748, but was '" + text + "'");
        }
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }

    private static int checksum(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, BYTES - 2);
        return (int) (crc.getValue() & 0xFFFF);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ConsistencyToken t && t.systemIdentifier == systemIdentifier && t.timeline == timeline
                && t.lsn == lsn && t.committedAtMillis == committedAtMillis;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(systemIdentifier) * 31 * 31 + timeline * 31 + Long.hashCode(lsn);
    }

    /** The encoded form, so a token can be logged or put in a header as is. */
    @Override
    public String toString() {
        return encode();
    }
}
