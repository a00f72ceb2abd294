package dev.junction.samples.service;

import static dev.junction.samples.service.db.Tables.COUNTRY;
import static dev.junction.samples.service.db.Tables.GROUPS;
import static dev.junction.samples.service.db.Tables.LANGUAGE;
import static dev.junction.samples.service.db.Tables.MEMBERSHIP;
import static dev.junction.samples.service.db.Tables.MEMBERSHIP_STATUS;
import static dev.junction.samples.service.db.Tables.ROLE;
import static dev.junction.samples.service.db.Tables.USERS;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.junction.samples.service.db.tables.records.CountryRecord;
import dev.junction.samples.service.db.tables.records.GroupsRecord;
import dev.junction.samples.service.db.tables.records.LanguageRecord;
import dev.junction.samples.service.db.tables.records.MembershipRecord;
import dev.junction.samples.service.db.tables.records.MembershipStatusRecord;
import dev.junction.samples.service.db.tables.records.RoleRecord;
import dev.junction.samples.service.db.tables.records.UsersRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.SQLDialect;
import org.jooq.TransactionContext;
import org.jooq.TransactionListener;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jspecify.annotations.Nullable;

/**
 * The directory as a team might first write it, on plain jOOQ and HikariCP: one pool of {@value #POOL_SIZE}
 * connections to the primary, every request one transaction (reads included), code tables read inside the
 * transaction, and relations fetched with one query each after the list query. It is correct; it only holds its
 * connections for many round trips. Thread-safe.
 *
 * <p>For the benchmark it counts what {@link JunctionDirectory} gets from Junction's unit reports: one round trip
 * per statement and per commit or rollback (pgJDBC sends {@code BEGIN} with the first statement), and the time each
 * connection is out of the pool.
 */
public final class NaiveDirectory implements Directory {
    /** The size of the one pool. */
    public static final int POOL_SIZE = 10;

    private final HikariDataSource pool;
    private final DSLContext ctx;
    private final LongAdder roundTrips = new LongAdder();
    private final LongAdder holdNanos = new LongAdder();

    private NaiveDirectory(HikariDataSource pool) {
        this.pool = pool;
        DefaultConfiguration configuration = new DefaultConfiguration();
        configuration.set(SQLDialect.POSTGRES);
        configuration.set(new TimedConnections("naive", pool, holdNanos));
        configuration.set(new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                roundTrips.increment();
            }
        });
        configuration.set(new TransactionListener() {
            @Override
            public void commitEnd(TransactionContext ctx) {
                roundTrips.increment();
            }

            @Override
            public void rollbackEnd(TransactionContext ctx) {
                roundTrips.increment();
            }
        });
        this.ctx = DSL.using(configuration);
    }

    /**
     * A directory on one HikariCP pool of {@value #POOL_SIZE} connections to {@code primaryUrl}.
     *
     * @param connectionTimeout the longest a request waits for a connection before it fails
     */
    public static NaiveDirectory create(String primaryUrl, String user, String password, Duration connectionTimeout) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("naive-primary");
        pool.setJdbcUrl(primaryUrl);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(POOL_SIZE);
        pool.setMinimumIdle(POOL_SIZE);
        pool.setConnectionTimeout(connectionTimeout.toMillis());
        return new NaiveDirectory(pool);
    }

    @Override
    public String name() {
        return "naive";
    }

    @Override
    public Written<Long> signup(Signup s) {
        try {
            long id = ctx.transactionResult(cfg -> {
                DSLContext tx = cfg.dsl();
                CountryRecord country = tx.selectFrom(COUNTRY).where(COUNTRY.CODE.eq(s.countryCode())).fetchOne();
                LanguageRecord language = tx.selectFrom(LANGUAGE).where(LANGUAGE.CODE.eq(s.languageCode()))
                        .fetchOne();
                if (country == null || language == null) {
                    throw DirectoryException.invalid("country or language is not a known code");
                }
                RoleRecord role = tx.selectFrom(ROLE).where(ROLE.CODE.eq("member")).fetchSingle();
                MembershipStatusRecord status = tx.selectFrom(MEMBERSHIP_STATUS)
                        .where(MEMBERSHIP_STATUS.CODE.eq("active")).fetchSingle();
                if (!tx.fetchExists(GROUPS, GROUPS.ID.eq(s.groupId()))) {
                    throw DirectoryException.notFound("group not found");
                }
                if (tx.fetchExists(USERS, USERS.EMAIL.eq(s.email()))) {
                    throw DirectoryException.conflict("email is already registered");
                }
                long userId = tx.insertInto(USERS)
                        .set(USERS.EMAIL, s.email())
                        .set(USERS.DISPLAY_NAME, s.displayName())
                        .set(USERS.COUNTRY_CODE, country.getCode())
                        .set(USERS.LANGUAGE_CODE, language.getCode())
                        .set(USERS.CITY, s.city())
                        .returning(USERS.ID).fetchSingle().getId();
                tx.insertInto(MEMBERSHIP)
                        .set(MEMBERSHIP.GROUP_ID, s.groupId())
                        .set(MEMBERSHIP.USER_ID, userId)
                        .set(MEMBERSHIP.ROLE_CODE, role.getCode())
                        .set(MEMBERSHIP.STATUS_CODE, status.getCode())
                        .execute();
                return userId;
            });
            return new Written<>(id, null);
        } catch (DataAccessException e) {
            throw Sql.signupFailure(e);
        }
    }

    @Override
    public Optional<GroupPage> members(long groupId, @Nullable String token) {
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            GroupsRecord group = tx.selectFrom(GROUPS).where(GROUPS.ID.eq(groupId)).fetchOne();
            if (group == null) {
                return Optional.empty();
            }
            CountryRecord country = tx.selectFrom(COUNTRY).where(COUNTRY.CODE.eq(group.getCountryCode()))
                    .fetchSingle();
            int count = tx.fetchCount(MEMBERSHIP, MEMBERSHIP.GROUP_ID.eq(groupId));
            List<MembershipRecord> page = tx.select(MEMBERSHIP.fields()).from(MEMBERSHIP)
                    .join(ROLE).on(ROLE.CODE.eq(MEMBERSHIP.ROLE_CODE))
                    .where(MEMBERSHIP.GROUP_ID.eq(groupId))
                    .orderBy(ROLE.RANK, MEMBERSHIP.JOINED_AT, MEMBERSHIP.USER_ID)
                    .limit(Inputs.MEMBER_PAGE)
                    .fetchInto(MEMBERSHIP);
            List<Member> members = new ArrayList<>(page.size());
            if (!page.isEmpty()) {
                Map<Long, UsersRecord> users = tx.selectFrom(USERS)
                        .where(USERS.ID.in(page.stream().map(MembershipRecord::getUserId).toList()))
                        .fetchMap(USERS.ID);
                Map<String, RoleRecord> roles = tx.selectFrom(ROLE)
                        .where(ROLE.CODE.in(page.stream().map(MembershipRecord::getRoleCode).distinct().toList()))
                        .fetchMap(ROLE.CODE);
                Map<String, MembershipStatusRecord> statuses = tx.selectFrom(MEMBERSHIP_STATUS)
                        .where(MEMBERSHIP_STATUS.CODE.in(
                                page.stream().map(MembershipRecord::getStatusCode).distinct().toList()))
                        .fetchMap(MEMBERSHIP_STATUS.CODE);
                for (MembershipRecord m : page) {
                    members.add(new Member(m.getUserId(), users.get(m.getUserId()).getDisplayName(),
                            roles.get(m.getRoleCode()).getLabel(), statuses.get(m.getStatusCode()).getLabel()));
                }
            }
            return Optional.of(new GroupPage(group.getId(), group.getName(), group.getCity(), country.getName(),
                    count, members));
        });
    }

    @Override
    public List<SearchHit> search(String prefix, int limit, @Nullable String token) {
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            List<UsersRecord> users = tx.selectFrom(USERS)
                    .where(Sql.startsWith(prefix))
                    .orderBy(Sql.NAME_KEY, USERS.ID)
                    .limit(limit)
                    .fetch();
            if (users.isEmpty()) {
                return List.of();
            }
            Map<String, CountryRecord> countries = tx.selectFrom(COUNTRY)
                    .where(COUNTRY.CODE.in(users.stream().map(UsersRecord::getCountryCode).distinct().toList()))
                    .fetchMap(COUNTRY.CODE);
            List<MembershipRecord> memberships = tx.selectFrom(MEMBERSHIP)
                    .where(MEMBERSHIP.USER_ID.in(users.stream().map(UsersRecord::getId).toList()))
                    .orderBy(MEMBERSHIP.USER_ID, MEMBERSHIP.GROUP_ID)
                    .fetch();
            Map<Long, GroupsRecord> groups = memberships.isEmpty() ? Map.of() : tx.selectFrom(GROUPS)
                    .where(GROUPS.ID.in(memberships.stream().map(MembershipRecord::getGroupId).distinct().toList()))
                    .fetchMap(GROUPS.ID);
            Map<String, RoleRecord> roles = memberships.isEmpty() ? Map.of() : tx.selectFrom(ROLE)
                    .where(ROLE.CODE.in(memberships.stream().map(MembershipRecord::getRoleCode).distinct().toList()))
                    .fetchMap(ROLE.CODE);
            List<SearchHit> hits = new ArrayList<>(users.size());
            for (UsersRecord u : users) {
                List<GroupRole> of = memberships.stream().filter(m -> m.getUserId().equals(u.getId()))
                        .map(m -> new GroupRole(m.getGroupId(), groups.get(m.getGroupId()).getName(),
                                roles.get(m.getRoleCode()).getLabel()))
                        .toList();
                hits.add(new SearchHit(u.getId(), u.getDisplayName(), u.getCity(),
                        countries.get(u.getCountryCode()).getName(), of));
            }
            return hits;
        });
    }

    @Override
    public Optional<Profile> profile(long userId, @Nullable String token) {
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            UsersRecord u = tx.selectFrom(USERS).where(USERS.ID.eq(userId)).fetchOne();
            if (u == null) {
                return Optional.empty();
            }
            CountryRecord country = tx.selectFrom(COUNTRY).where(COUNTRY.CODE.eq(u.getCountryCode())).fetchSingle();
            LanguageRecord language = tx.selectFrom(LANGUAGE).where(LANGUAGE.CODE.eq(u.getLanguageCode()))
                    .fetchSingle();
            return Optional.of(new Profile(u.getId(), u.getEmail(), u.getDisplayName(), country.getName(),
                    language.getName(), u.getCity(), u.getBio()));
        });
    }

    @Override
    public Written<Boolean> updateProfile(long userId, ProfileUpdate update) {
        boolean found = ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            UsersRecord u = tx.selectFrom(USERS).where(USERS.ID.eq(userId)).forUpdate().fetchOne();
            if (u == null) {
                return false;
            }
            tx.update(USERS)
                    .set(USERS.DISPLAY_NAME, update.displayName())
                    .set(USERS.CITY, update.city())
                    .set(USERS.BIO, update.bio())
                    .set(USERS.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(USERS.ID.eq(userId))
                    .execute();
            return true;
        });
        return new Written<>(found, null);
    }

    @Override
    public Stats stats() {
        HikariPoolMXBean mx = pool.getHikariPoolMXBean();
        return new Stats(roundTrips.sum(), holdNanos.sum(), mx == null ? 0 : mx.getThreadsAwaitingConnection(), 0);
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "NaiveDirectory[pool=" + POOL_SIZE + " on " + Objects.requireNonNull(pool.getJdbcUrl()) + "]";
    }
}
