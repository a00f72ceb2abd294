package dev.junction.lookup;

import dev.junction.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Which tables a {@link dev.junction.Database} caches as lookups, and how. Pass it to
 * {@link dev.junction.Junction.Builder#lookups(Lookups)}; read the tables with {@code db.lookups()}.
 *
 * <pre>{@code
 * Database db = Junction.builder().router(router)
 *         .lookups(Lookups.builder().table(ROLES).table(COUNTRIES).ttl(Duration.ofMinutes(10)).build())
 *         .build();
 * }</pre>
 *
 * <p>Guarantees of the resulting cache (see {@code docs/lookups.md}): each table is loaded by one query however many
 * callers miss at once; loads run as {@code db.read} units (a replica, no transaction); a cached table is never older
 * than {@code ttl}; a write through this Database that commits a change to a declared table invalidates it before
 * {@code write} returns, and the next load reads at least that commit; with {@code notifications} on, every other
 * instance sharing the primary invalidates it when the commit's notification arrives, and invalidates everything
 * after its listening connection was lost.
 *
 * <p>Immutable and thread-safe, with value equality; build it with {@link #builder()}, derive a changed copy with
 * {@link #from(Lookups)}. There is no {@code defaults()}: a Lookups always declares its tables, and {@code builder()}
 * starts from the default of every other option.
 */
public final class Lookups {

    /** Default {@link #ttl()}: 10 minutes. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
    /** Default {@link #maximumRows()}. */
    public static final long DEFAULT_MAXIMUM_ROWS = 10_000;
    /** Default {@link #channel()}. */
    public static final String DEFAULT_CHANNEL = "junction_lookups";
    /** Default {@link #listenerLeaseLifetime()}: 5 minutes, below HikariCP's default maxLifetime of 30 minutes. */
    public static final Duration DEFAULT_LISTENER_LEASE_LIFETIME = Duration.ofMinutes(5);

    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final List<LookupTable<?, ?>> tables;
    private final Duration ttl;
    private final long maximumRows;
    private final String channel;
    private final boolean notifications;
    private final @Nullable DataSource listenerDataSource;
    private final Duration listenerLeaseLifetime;

    private Lookups(Builder b) {
        this.tables = List.copyOf(b.tables);
        this.ttl = b.ttl;
        this.maximumRows = b.maximumRows;
        this.channel = b.channel;
        this.notifications = b.notifications;
        this.listenerDataSource = b.listenerDataSource;
        this.listenerLeaseLifetime = b.listenerLeaseLifetime;
    }

    /** The declared tables, in declaration order, no two with the same name. */
    public List<LookupTable<?, ?>> tables() {
        return tables;
    }

    /** The longest a loaded table is served before it is loaded again. */
    public Duration ttl() {
        return ttl;
    }

    /** The most rows all cached tables may hold together; a table larger than this alone fails to load. */
    public long maximumRows() {
        return maximumRows;
    }

    /** The PostgreSQL {@code NOTIFY} channel shared by every instance. */
    public String channel() {
        return channel;
    }

    /** Whether writes notify other instances and this Database listens for their writes. */
    public boolean notifications() {
        return notifications;
    }

    /**
     * Where the listening connection comes from, or null for the router (see
     * {@link Builder#listenerDataSource(DataSource)}).
     */
    public @Nullable DataSource listenerDataSource() {
        return listenerDataSource;
    }

    /** How long a pooled connection borrowed for listening is kept before it is exchanged. */
    public Duration listenerLeaseLifetime() {
        return listenerLeaseLifetime;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Lookups other && tables.equals(other.tables) && ttl.equals(other.ttl)
                && maximumRows == other.maximumRows && channel.equals(other.channel)
                && notifications == other.notifications && listenerDataSource == other.listenerDataSource
                && listenerLeaseLifetime.equals(other.listenerLeaseLifetime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tables, ttl, maximumRows, channel, notifications,
                System.identityHashCode(listenerDataSource), listenerLeaseLifetime);
    }

    @Override
    public String toString() {
        return "Lookups[tables=" + tables + ", ttl=" + ttl + ", maximumRows=" + maximumRows + ", channel=" + channel
                + ", notifications=" + notifications + ", listenerDataSource="
                + (listenerDataSource == null ? "router" : listenerDataSource.getClass().getSimpleName())
                + ", listenerLeaseLifetime=" + listenerLeaseLifetime + "]";
    }

    /**
     * A builder with the defaults: ttl 10 minutes, at most 10,000 rows, channel {@code junction_lookups},
     * notifications on, the listening connection from the router.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding {@code existing}'s values, to derive a changed copy. */
    public static Builder from(Lookups existing) {
        Builder b = new Builder();
        b.tables.addAll(existing.tables);
        b.ttl = existing.ttl;
        b.maximumRows = existing.maximumRows;
        b.channel = existing.channel;
        b.notifications = existing.notifications;
        b.listenerDataSource = existing.listenerDataSource;
        b.listenerLeaseLifetime = existing.listenerLeaseLifetime;
        return b;
    }

    /**
     * Options of {@link Lookups}. Mutable and not thread-safe. Each setter checks its own value at once, and
     * {@link #build()} checks what involves several values or the whole declaration; both throw
     * {@link ConfigurationException}, and each rule is checked in one place. {@link #build()} copies the values, so
     * a builder can be reused.
     */
    public static final class Builder {
        private final List<LookupTable<?, ?>> tables = new ArrayList<>();
        private Duration ttl = DEFAULT_TTL;
        private long maximumRows = DEFAULT_MAXIMUM_ROWS;
        private String channel = DEFAULT_CHANNEL;
        private boolean notifications = true;
        private @Nullable DataSource listenerDataSource;
        private Duration listenerLeaseLifetime = DEFAULT_LISTENER_LEASE_LIFETIME;

        private Builder() {
        }

        /** Declares a lookup table. Each table may be declared once. */
        public Builder table(LookupTable<?, ?> table) {
            tables.add(Objects.requireNonNull(table, "table"));
            return this;
        }

        /**
         * The longest a loaded table is served before the next read loads it again (default 10 minutes). It bounds
         * staleness where no invalidation arrives: writes that bypass Junction (psql, migrations, other
         * applications, triggers) and writes made while this instance's listener was disconnected.
         *
         * @throws ConfigurationException when not positive
         */
        public Builder ttl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new ConfigurationException("ttl must be positive, e.g. Duration.ofMinutes(10), but was "
                        + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /**
         * The most rows all cached tables hold together (default 10,000). When the tables in use need more, the
         * least used is dropped and loaded again on its next read (logged once). A single table with more rows
         * than this is refused when it loads: it is not reference data.
         *
         * @throws ConfigurationException when below 1
         */
        public Builder maximumRows(long maximumRows) {
            if (maximumRows < 1) {
                throw new ConfigurationException("maximumRows must be >= 1, e.g. 10000, but was " + maximumRows);
            }
            this.maximumRows = maximumRows;
            return this;
        }

        /**
         * The {@code NOTIFY} channel (default {@code junction_lookups}); every instance that shares the tables must
         * use the same one. A lower-case SQL identifier.
         *
         * @throws ConfigurationException when not a lower-case identifier of at most 63 characters
         */
        public Builder channel(String channel) {
            Objects.requireNonNull(channel, "channel");
            if (!CHANNEL.matcher(channel).matches()) {
                throw new ConfigurationException("channel must be a lower-case SQL identifier of at most 63"
                        + " characters, e.g. " + DEFAULT_CHANNEL + ", but was '" + channel + "'");
            }
            this.channel = channel;
            return this;
        }

        /**
         * Whether writes to lookup tables notify other instances and this Database keeps one connection listening
         * for their notifications (default true). Turn it off for a single instance, or where no session may stay
         * open; other instances then see changes only after {@link #ttl(Duration)}.
         */
        public Builder notifications(boolean enabled) {
            this.notifications = enabled;
            return this;
        }

        /**
         * Where the one listening connection comes from: a DataSource that opens a new, unpooled connection to the
         * primary on each {@code getConnection()} (for example pgJDBC's {@code PGSimpleDataSource}); the
         * connection is kept until it fails or the Database closes. Needed when the pools go through PgBouncer in
         * transaction mode (which does not keep {@code LISTEN} sessions): point this past PgBouncer.
         *
         * <p>Without it (the default) the router provides the connection: its
         * {@link dev.junction.spi.ConnectionRouter#openDedicatedPrimaryConnection() dedicated connection} when it
         * offers one, else a pooled primary connection, exchanged every {@link #listenerLeaseLifetime(Duration)}
         * (which costs one connection of the primary pool).
         */
        public Builder listenerDataSource(DataSource dataSource) {
            this.listenerDataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * How long the listener keeps a pooled primary connection before it exchanges it for a fresh one (default
         * 5 minutes). The new connection listens before the old one is returned, so no notification is lost. Keep it
         * below the pool's maximum connection lifetime and leak-detection threshold. Unused with a
         * {@link #listenerDataSource(DataSource)} or a router's dedicated connection.
         *
         * @throws ConfigurationException when not positive
         */
        public Builder listenerLeaseLifetime(Duration lifetime) {
            Objects.requireNonNull(lifetime, "lifetime");
            if (lifetime.isNegative() || lifetime.isZero()) {
                throw new ConfigurationException("listenerLeaseLifetime must be positive, e.g."
                        + " Duration.ofMinutes(5), but was " + lifetime);
            }
            this.listenerLeaseLifetime = lifetime;
            return this;
        }

        /**
         * Validates and builds the configuration.
         *
         * @throws ConfigurationException naming the field and the fix: no table declared, a table declared twice,
         *                                or a listener DataSource with notifications off
         */
        public Lookups build() {
            if (tables.isEmpty()) {
                throw new ConfigurationException("Lookups.tables is empty; declare at least one table with"
                        + " Lookups.builder().table(LookupTable.of(ROLE, ROLE.CODE)), or do not set lookups");
            }
            Map<String, LookupTable<?, ?>> seen = new HashMap<>();
            for (LookupTable<?, ?> table : tables) {
                LookupTable<?, ?> earlier = seen.putIfAbsent(table.name().toLowerCase(Locale.ROOT), table);
                if (earlier != null) {
                    throw new ConfigurationException("Lookups.tables declares table '" + table.name() + "' twice ("
                            + earlier + " and " + table + "); declare each table once and share the LookupTable"
                            + " constant");
                }
            }
            if (!notifications && listenerDataSource != null) {
                throw new ConfigurationException("Lookups.listenerDataSource is set but Lookups.notifications is"
                        + " off, so nothing would listen; remove listenerDataSource(...) or turn notifications on");
            }
            return new Lookups(this);
        }
    }
}
