package dev.junction.samples.service;

import static dev.junction.samples.service.db.Tables.COUNTRY;
import static dev.junction.samples.service.db.Tables.GROUPS;
import static dev.junction.samples.service.db.Tables.LANGUAGE;
import static dev.junction.samples.service.db.Tables.MEMBERSHIP;
import static dev.junction.samples.service.db.Tables.MEMBERSHIP_STATUS;
import static dev.junction.samples.service.db.Tables.ROLE;
import static dev.junction.samples.service.db.Tables.USERS;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.junction.samples.service.db.tables.records.UsersRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record9;
import org.jooq.Result;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jspecify.annotations.Nullable;

/**
 * The directory as a skilled team writes it without Junction, after reading the same write-ups: the fair rival of
 * {@link JunctionDirectory} in the load benchmark. Plain jOOQ over two HikariCP pools:
 * <ul>
 *   <li>a pool on the primary for writes and for reads right after a write;</li>
 *   <li>a pool over the replicas: one pgJDBC multi-host URL with {@code targetServerType=preferSecondary} and
 *       {@code loadBalanceHosts=true} (see {@link #replicaUrl}), so its connections spread over the replicas and,
 *       when none is up, come from the primary;</li>
 *   <li>reads outside transactions (autocommit), one statement per request: hand-written joins (a {@code LATERAL}
 *       join for a group page with its count, a join of the matching users with their memberships and groups for a
 *       search) instead of a round trip per relation;</li>
 *   <li>code tables (countries, languages, roles, statuses) in a Caffeine cache, refreshed every few minutes, so
 *       labels and sign-up validation cost no query;</li>
 *   <li>writes as single autocommit statements (a sign-up is one statement: a data-modifying {@code WITH}), whose
 *       constraints find a taken e-mail address or a missing group;</li>
 *   <li>read-your-writes as Rails does it: a write answers with its time as the session's token (in the same
 *       {@code Junction-Consistency} header the client already carries), and a read with a token younger than
 *       {@link #READ_YOUR_WRITES} goes to the primary. After that window reads go to the replicas again: a replica
 *       further behind than the window serves a stale read-back, which the benchmark counts.</li>
 * </ul>
 * Same schema, same answers as the other implementations for the same data. Thread-safe; {@link #close()} closes both
 * pools. The token is not signed: a forged one can only send that client's reads to the primary for the window.
 */
public final class TunedDirectory implements Directory {
    /** Connections of the primary's pool, and per replica of the replicas' pool, as Junction has per node. */
    public static final int POOL_SIZE = 10;
    /** How long after a write a client's reads go to the primary: Rails' default delay of its database selector. */
    public static final Duration READ_YOUR_WRITES = Duration.ofSeconds(2);
    /** How long the code tables are cached before a read refreshes them in the background. */
    static final Duration CODE_REFRESH = Duration.ofMinutes(5);
    private static final String TOKEN_PREFIX = "w";

    /** The cached code tables: code to name or label. */
    enum Codes { COUNTRY, LANGUAGE, ROLE, STATUS }

    private final HikariDataSource primaryPool;
    private final HikariDataSource replicaPool;
    private final DSLContext primary;
    private final DSLContext replicas;
    private final Duration readYourWrites;
    private final LoadingCache<Codes, Map<String, String>> codes;
    private final LongAdder roundTrips = new LongAdder();
    private final LongAdder holdNanos = new LongAdder();

    private TunedDirectory(HikariDataSource primaryPool, HikariDataSource replicaPool, Duration readYourWrites) {
        this.primaryPool = primaryPool;
        this.replicaPool = replicaPool;
        this.primary = dsl("tuned-primary", primaryPool);
        this.replicas = dsl("tuned-replicas", replicaPool);
        this.readYourWrites = readYourWrites;
        this.codes = Caffeine.newBuilder().refreshAfterWrite(CODE_REFRESH).build(this::load);
    }

    /**
     * A directory on a pool of {@link #POOL_SIZE} connections to {@code primaryUrl} and one of {@code replicaPoolSize}
     * to {@code replicasUrl} (typically {@link #replicaUrl}).
     *
     * @param connectionTimeout the longest a request waits for a connection before it fails (both pools)
     * @param readYourWrites    how long after a write the client's reads go to the primary
     */
    public static TunedDirectory create(String primaryUrl, String replicasUrl, int replicaPoolSize, String user,
            String password, Duration connectionTimeout, Duration readYourWrites) {
        HikariDataSource primaryPool = pool("tuned-primary", primaryUrl, POOL_SIZE, user, password,
                connectionTimeout);
        try {
            HikariDataSource replicaPool = pool("tuned-replicas", replicasUrl, replicaPoolSize, user, password,
                    connectionTimeout);
            return new TunedDirectory(primaryPool, replicaPool, readYourWrites);
        } catch (RuntimeException e) {
            primaryPool.close();
            throw e;
        }
    }

    /**
     * The pgJDBC multi-host URL of the replicas' pool: the replicas, then the primary, each {@code host:port};
     * connections go to a secondary (in random order, so they spread) and to the primary only when no secondary
     * answers.
     */
    public static String replicaUrl(List<String> replicaHosts, String primaryHost, String database) {
        List<String> hosts = new ArrayList<>(replicaHosts);
        hosts.add(primaryHost);
        return "jdbc:postgresql://" + String.join(",", hosts) + "/" + database
                + "?targetServerType=preferSecondary&loadBalanceHosts=true";
    }

    private static HikariDataSource pool(String name, String url, int size, String user, String password,
            Duration connectionTimeout) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName(name);
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(size);
        pool.setMinimumIdle(size);
        pool.setConnectionTimeout(connectionTimeout.toMillis());
        return pool;
    }

    /** jOOQ on {@code pool}, counting a round trip per statement (no transactions: nothing else is sent). */
    private DSLContext dsl(String name, HikariDataSource pool) {
        DefaultConfiguration configuration = new DefaultConfiguration();
        configuration.set(SQLDialect.POSTGRES);
        configuration.set(new TimedConnections(name, pool, holdNanos));
        configuration.set(new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                roundTrips.increment();
            }
        });
        return DSL.using(configuration);
    }

    @Override
    public String name() {
        return "tuned";
    }

    @Override
    public Written<Long> signup(Signup s) {
        // Validated against the cache: an unknown code costs no query. (A code added since the last refresh is
        // refused until the next one, as any cache of a code table does.)
        if (!codes(Codes.COUNTRY).containsKey(s.countryCode())
                || !codes(Codes.LANGUAGE).containsKey(s.languageCode())) {
            throw DirectoryException.invalid("country or language is not a known code");
        }
        try {
            // One statement, atomic without a transaction: the user and their membership.
            Object id = primary.fetchValue("with u as (insert into users (email, display_name, country_code,"
                    + " language_code, city) values (cast(? as text), cast(? as text), cast(? as char(2)),"
                    + " cast(? as varchar), cast(? as text)) returning id)"
                    + " insert into membership (group_id, user_id, role_code, status_code)"
                    + " select cast(? as bigint), id, 'member', 'active' from u returning user_id",
                    s.email(), s.displayName(), s.countryCode(), s.languageCode(), s.city(), s.groupId());
            return new Written<>(((Number) id).longValue(), token());
        } catch (DataAccessException e) {
            throw Sql.signupFailure(e);
        }
    }

    @Override
    public Optional<GroupPage> members(long groupId, @Nullable String token) {
        // One round trip: the group, its member count (a lateral count, computed once) and its first members (a
        // lateral page joined with users and roles), in the page's order.
        Table<?> count = DSL.select(DSL.count().as("n")).from(MEMBERSHIP).where(MEMBERSHIP.GROUP_ID.eq(GROUPS.ID))
                .asTable("c");
        Table<?> page = DSL.select(MEMBERSHIP.USER_ID, USERS.DISPLAY_NAME, MEMBERSHIP.ROLE_CODE,
                        MEMBERSHIP.STATUS_CODE, ROLE.RANK, MEMBERSHIP.JOINED_AT)
                .from(MEMBERSHIP)
                .join(USERS).on(USERS.ID.eq(MEMBERSHIP.USER_ID))
                .join(ROLE).on(ROLE.CODE.eq(MEMBERSHIP.ROLE_CODE))
                .where(MEMBERSHIP.GROUP_ID.eq(GROUPS.ID))
                .orderBy(ROLE.RANK, MEMBERSHIP.JOINED_AT, MEMBERSHIP.USER_ID)
                .limit(Inputs.MEMBER_PAGE)
                .asTable("p");
        Field<Long> userId = page.field(MEMBERSHIP.USER_ID);
        Result<Record9<Long, String, String, String, Integer, Long, String, String, String>> rows = reads(token)
                .select(GROUPS.ID, GROUPS.NAME, GROUPS.CITY, GROUPS.COUNTRY_CODE, count.field("n", Integer.class),
                        userId, page.field(USERS.DISPLAY_NAME), page.field(MEMBERSHIP.ROLE_CODE),
                        page.field(MEMBERSHIP.STATUS_CODE))
                .from(GROUPS)
                .crossJoin(DSL.lateral(count))
                .leftJoin(DSL.lateral(page)).on(DSL.trueCondition())
                .where(GROUPS.ID.eq(groupId))
                .orderBy(page.field(ROLE.RANK), page.field(MEMBERSHIP.JOINED_AT), userId)
                .fetch();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        var g = rows.get(0);
        List<Member> members = new ArrayList<>(rows.size());
        for (var m : rows) {
            if (m.value6() != null) {
                members.add(new Member(m.value6(), m.value7(), name(Codes.ROLE, m.value8()),
                        name(Codes.STATUS, m.value9())));
            }
        }
        return Optional.of(new GroupPage(g.value1(), g.value2(), g.value3(), name(Codes.COUNTRY, g.value4()),
                g.value5(), members));
    }

    @Override
    public List<SearchHit> search(String prefix, int limit, @Nullable String token) {
        // One round trip: the page of matching users, joined with their memberships and groups.
        Table<?> matches = DSL.select(USERS.ID, USERS.DISPLAY_NAME, USERS.CITY, USERS.COUNTRY_CODE,
                        Sql.NAME_KEY.as("k"))
                .from(USERS)
                .where(Sql.startsWith(prefix))
                .orderBy(Sql.NAME_KEY, USERS.ID)
                .limit(limit)
                .asTable("u");
        Field<Long> id = matches.field(USERS.ID);
        Field<String> key = matches.field("k", String.class).collate(DSL.collation(DSL.name("C")));
        Result<? extends Record> rows = reads(token)
                .select(id, matches.field(USERS.DISPLAY_NAME), matches.field(USERS.CITY),
                        matches.field(USERS.COUNTRY_CODE), MEMBERSHIP.GROUP_ID, GROUPS.NAME, MEMBERSHIP.ROLE_CODE)
                .from(matches)
                .leftJoin(MEMBERSHIP).on(MEMBERSHIP.USER_ID.eq(id))
                .leftJoin(GROUPS).on(GROUPS.ID.eq(MEMBERSHIP.GROUP_ID))
                .orderBy(key, id, MEMBERSHIP.GROUP_ID)
                .fetch();
        Map<Long, Record> users = new LinkedHashMap<>();
        Map<Long, List<GroupRole>> groups = new LinkedHashMap<>();
        for (Record r : rows) {
            long user = r.get(id);
            users.putIfAbsent(user, r);
            List<GroupRole> of = groups.computeIfAbsent(user, u -> new ArrayList<>());
            Long group = r.get(MEMBERSHIP.GROUP_ID);
            if (group != null) {
                of.add(new GroupRole(group, r.get(GROUPS.NAME), name(Codes.ROLE, r.get(MEMBERSHIP.ROLE_CODE))));
            }
        }
        List<SearchHit> hits = new ArrayList<>(users.size());
        for (var e : users.entrySet()) {
            Record u = e.getValue();
            hits.add(new SearchHit(e.getKey(), u.get(matches.field(USERS.DISPLAY_NAME)),
                    u.get(matches.field(USERS.CITY)), name(Codes.COUNTRY, u.get(matches.field(USERS.COUNTRY_CODE))),
                    groups.get(e.getKey())));
        }
        return hits;
    }

    @Override
    public Optional<Profile> profile(long userId, @Nullable String token) {
        Optional<UsersRecord> user = reads(token).selectFrom(USERS).where(USERS.ID.eq(userId)).fetchOptional();
        return user.map(u -> new Profile(u.getId(), u.getEmail(), u.getDisplayName(),
                name(Codes.COUNTRY, u.getCountryCode()), name(Codes.LANGUAGE, u.getLanguageCode()), u.getCity(),
                u.getBio()));
    }

    @Override
    public Written<Boolean> updateProfile(long userId, ProfileUpdate update) {
        boolean found = primary.update(USERS)
                .set(USERS.DISPLAY_NAME, update.displayName())
                .set(USERS.CITY, update.city())
                .set(USERS.BIO, update.bio())
                .set(USERS.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(USERS.ID.eq(userId))
                .execute() == 1;
        return new Written<>(found, token());
    }

    /** The session token of a write that just committed: its time. */
    private static String token() {
        return TOKEN_PREFIX + System.currentTimeMillis();
    }

    /** The primary while the client's last write is younger than the window, else the replicas. */
    private DSLContext reads(@Nullable String token) {
        return recentWrite(token, System.currentTimeMillis(), readYourWrites) ? primary : replicas;
    }

    /**
     * Whether {@code token} names a write less than {@code window} from {@code nowMillis} (either side, for a clock
     * that stepped back). A missing or malformed token is no recent write.
     */
    static boolean recentWrite(@Nullable String token, long nowMillis, Duration window) {
        if (token == null || !token.startsWith(TOKEN_PREFIX)) {
            return false;
        }
        long at;
        try {
            at = Long.parseLong(token.substring(TOKEN_PREFIX.length()));
        } catch (NumberFormatException e) {
            return false;
        }
        return Math.abs(nowMillis - at) < window.toMillis();
    }

    private Map<String, String> codes(Codes table) {
        return codes.get(table);
    }

    /**
     * The name of a code the database holds. A code the cache does not know yet (added since the last load) reloads
     * the table once.
     */
    private String name(Codes table, String code) {
        String name = codes(table).get(code);
        if (name == null) {
            codes.invalidate(table);
            name = codes(table).get(code);
        }
        if (name == null) {
            throw new IllegalStateException(table + " has no code the database references; the cache is corrupt");
        }
        return name;
    }

    private Map<String, String> load(Codes table) {
        return switch (table) {
            case COUNTRY -> replicas.select(COUNTRY.CODE, COUNTRY.NAME).from(COUNTRY).fetchMap(COUNTRY.CODE,
                    COUNTRY.NAME);
            case LANGUAGE -> replicas.select(LANGUAGE.CODE, LANGUAGE.NAME).from(LANGUAGE).fetchMap(LANGUAGE.CODE,
                    LANGUAGE.NAME);
            case ROLE -> replicas.select(ROLE.CODE, ROLE.LABEL).from(ROLE).fetchMap(ROLE.CODE, ROLE.LABEL);
            case STATUS -> replicas.select(MEMBERSHIP_STATUS.CODE, MEMBERSHIP_STATUS.LABEL).from(MEMBERSHIP_STATUS)
                    .fetchMap(MEMBERSHIP_STATUS.CODE, MEMBERSHIP_STATUS.LABEL);
        };
    }

    @Override
    public Stats stats() {
        return new Stats(roundTrips.sum(), holdNanos.sum(), waiting(primaryPool) + waiting(replicaPool), 0);
    }

    private static int waiting(HikariDataSource pool) {
        HikariPoolMXBean mx = pool.getHikariPoolMXBean();
        return mx == null ? 0 : mx.getThreadsAwaitingConnection();
    }

    @Override
    public void close() {
        try {
            replicaPool.close();
        } finally {
            primaryPool.close();
        }
    }

    @Override
    public String toString() {
        return "TunedDirectory[primary pool " + POOL_SIZE + ", replica pool " + replicaPool.getMaximumPoolSize() + "]";
    }
}
