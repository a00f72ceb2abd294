package dev.junction.samples.service;

import static dev.junction.samples.service.db.Tables.COUNTRY;
import static dev.junction.samples.service.db.Tables.GROUPS;
import static dev.junction.samples.service.db.Tables.LANGUAGE;
import static dev.junction.samples.service.db.Tables.MEMBERSHIP;
import static dev.junction.samples.service.db.Tables.MEMBERSHIP_STATUS;
import static dev.junction.samples.service.db.Tables.ROLE;
import static dev.junction.samples.service.db.Tables.USERS;

import dev.junction.Commit;
import dev.junction.Consistency;
import dev.junction.ConsistencySession;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.Pair;
import dev.junction.lookup.CodeTable;
import dev.junction.lookup.LookupTable;
import dev.junction.lookup.Lookups;
import dev.junction.routing.ClusterRouter;
import dev.junction.routing.NodeStatus;
import dev.junction.routing.RoutingConfig;
import dev.junction.samples.service.db.graphs.GroupsGraph;
import dev.junction.samples.service.db.graphs.MembershipGraph;
import dev.junction.samples.service.db.graphs.UsersGraph;
import dev.junction.samples.service.db.tables.records.UsersRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.jooq.DSLContext;
import org.jooq.Record4;
import org.jooq.Record5;
import org.jooq.Result;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * The directory on Junction: reads on the replicas without transactions, code tables from the lookup cache, the
 * search as one generated graph fetch, a group page as two parallel reads, writes as short transactions on the
 * primary whose consistency tokens the client sends back to read its own writes. Thread-safe.
 */
public final class JunctionDirectory implements Directory {
    /** A country's code and name. */
    record Code(String code, String name) {
    }

    /** A role: code, label and rank (the order of a member list). */
    record Role(String code, String label, short rank) {
    }

    static final LookupTable<String, Code> COUNTRIES = LookupTable.of(COUNTRY, COUNTRY.CODE,
            r -> new Code(r.getCode(), r.getName()));
    static final LookupTable<String, Code> LANGUAGES = LookupTable.of(LANGUAGE, LANGUAGE.CODE,
            r -> new Code(r.getCode(), r.getName()));
    static final LookupTable<String, Role> ROLES = LookupTable.of(ROLE, ROLE.CODE,
            r -> new Role(r.getCode(), r.getLabel(), r.getRank()));
    static final LookupTable<String, Code> STATUSES = LookupTable.of(MEMBERSHIP_STATUS, MEMBERSHIP_STATUS.CODE,
            r -> new Code(r.getCode(), r.getLabel()));

    // tag::search-graph[]
    /**
     * The search's graph: users with their memberships, each with its group, in group order; only the columns a hit
     * shows are read (not the bio, e-mail or timestamps), and the keys that stitch the graph are added by the fetch.
     */
    private static final UsersGraph.Query SEARCH = UsersGraph.query()
            .select(USERS.ID, USERS.DISPLAY_NAME, USERS.CITY, USERS.COUNTRY_CODE)
            .withMemberships(MembershipGraph.query()
                    .select(MEMBERSHIP.GROUP_ID, MEMBERSHIP.ROLE_CODE)
                    .withGroup(GroupsGraph.query().select(GROUPS.NAME))
                    .orderBy(MEMBERSHIP.GROUP_ID));
    // end::search-graph[]

    /** The route reason of an eventual read the router sent to the primary because the replicas were saturated. */
    static final String SPILL_REASON = "spill_primary";

    private final ClusterRouter router;
    private final Database db;
    private final LongAdder roundTrips = new LongAdder();
    private final LongAdder holdNanos = new LongAdder();

    private JunctionDirectory(RoutingConfig config) {
        this.router = ClusterRouter.create(config);
        try {
            this.db = Junction.builder()
                    .router(router)
                    .lookups(Lookups.builder().table(COUNTRIES).table(LANGUAGES).table(ROLES).table(STATUSES).build())
                    .unitListener(report -> {
                        roundTrips.add(report.roundTrips());
                        holdNanos.add(report.connectionHoldTime().toNanos());
                    })
                    .build();
        } catch (RuntimeException e) {
            router.close();
            throw e;
        }
    }

    /** A directory routing over the nodes of {@code config}; the Database and its router close with it. */
    public static JunctionDirectory create(RoutingConfig config) {
        return new JunctionDirectory(config);
    }

    @Override
    public String name() {
        return "junction";
    }

    /** The router under the directory's Database, for routing counts in tests and the demo. */
    public ClusterRouter router() {
        return router;
    }

    @Override
    public Written<Long> signup(Signup s) {
        // Code tables come from the cache: validation costs no query and no connection.
        Code country = db.lookups().get(COUNTRIES).get(s.countryCode());
        Code language = db.lookups().get(LANGUAGES).get(s.languageCode());
        if (country == null || language == null) {
            throw DirectoryException.invalid("country or language is not a known code");
        }
        String role = db.lookups().get(ROLES).require("member").code();
        String status = db.lookups().get(STATUSES).require("active").code();
        try {
            // One short transaction: two statements and the commit. A taken e-mail address or a missing group is
            // found by the constraints, without a query before the insert.
            Commit<Long> c = db.write(tx -> {
                long userId = tx.insertInto(USERS)
                        .set(USERS.EMAIL, s.email())
                        .set(USERS.DISPLAY_NAME, s.displayName())
                        .set(USERS.COUNTRY_CODE, country.code())
                        .set(USERS.LANGUAGE_CODE, language.code())
                        .set(USERS.CITY, s.city())
                        .returning(USERS.ID).fetchSingle().getId();
                tx.insertInto(MEMBERSHIP)
                        .set(MEMBERSHIP.GROUP_ID, s.groupId())
                        .set(MEMBERSHIP.USER_ID, userId)
                        .set(MEMBERSHIP.ROLE_CODE, role)
                        .set(MEMBERSHIP.STATUS_CODE, status)
                        .execute();
                return userId;
            });
            return new Written<>(c.value(), c.token().encode());
        } catch (DataAccessException e) {
            throw Sql.signupFailure(e);
        }
    }

    @Override
    public Optional<GroupPage> members(long groupId, @Nullable String token) {
        Pair<Optional<Record5<Long, String, String, String, Integer>>, Result<Record4<Long, String, String, String>>>
                both;
        if (token == null) {
            // No write to wait for: the group and its member page as two reads at once, on replicas.
            both = db.parallel(ctx -> group(ctx, groupId), ctx -> page(ctx, groupId));
        } else {
            // After the client's own write: one read unit on a node that has replayed it.
            Consistency consistency = ConsistencySession.restore(token).consistency();
            both = db.read(consistency, ctx -> new Pair<>(group(ctx, groupId), page(ctx, groupId)));
        }
        if (both.first().isEmpty()) {
            return Optional.empty();
        }
        var g = both.first().get();
        CodeTable<String, Role> roles = db.lookups().get(ROLES);
        CodeTable<String, Code> statuses = db.lookups().get(STATUSES);
        List<Member> members = new ArrayList<>(both.second().size());
        for (var m : both.second()) {
            members.add(new Member(m.value1(), m.value2(), roles.require(m.value3()).label(),
                    statuses.require(m.value4()).name()));
        }
        return Optional.of(new GroupPage(g.value1(), g.value2(), g.value3(),
                db.lookups().get(COUNTRIES).require(g.value4()).name(), g.value5(), members));
    }

    private static Optional<Record5<Long, String, String, String, Integer>> group(DSLContext ctx, long groupId) {
        return ctx.select(GROUPS.ID, GROUPS.NAME, GROUPS.CITY, GROUPS.COUNTRY_CODE,
                        DSL.field(DSL.selectCount().from(MEMBERSHIP).where(MEMBERSHIP.GROUP_ID.eq(GROUPS.ID))))
                .from(GROUPS).where(GROUPS.ID.eq(groupId)).fetchOptional();
    }

    private static Result<Record4<Long, String, String, String>> page(DSLContext ctx, long groupId) {
        return ctx.select(MEMBERSHIP.USER_ID, USERS.DISPLAY_NAME, MEMBERSHIP.ROLE_CODE, MEMBERSHIP.STATUS_CODE)
                .from(MEMBERSHIP)
                .join(USERS).on(USERS.ID.eq(MEMBERSHIP.USER_ID))
                .join(ROLE).on(ROLE.CODE.eq(MEMBERSHIP.ROLE_CODE))
                .where(MEMBERSHIP.GROUP_ID.eq(groupId))
                .orderBy(ROLE.RANK, MEMBERSHIP.JOINED_AT, MEMBERSHIP.USER_ID)
                .limit(Inputs.MEMBER_PAGE)
                .fetch();
    }

    @Override
    public List<SearchHit> search(String prefix, int limit, @Nullable String token) {
        // tag::search[]
        List<UsersGraph.Node> users = db.read(ConsistencySession.restore(token).consistency(), ctx -> SEARCH
                .where(Sql.startsWith(prefix))
                .orderBy(Sql.NAME_KEY, USERS.ID)
                .limit(limit)
                .fetch(ctx));
        // end::search[]
        CodeTable<String, Code> countries = db.lookups().get(COUNTRIES);
        CodeTable<String, Role> roles = db.lookups().get(ROLES);
        List<SearchHit> hits = new ArrayList<>(users.size());
        for (UsersGraph.Node node : users) {
            UsersRecord u = node.user();
            List<GroupRole> groups = new ArrayList<>(node.memberships().size());
            for (MembershipGraph.Node m : node.memberships()) {
                groups.add(new GroupRole(m.membership().getGroupId(),
                        Objects.requireNonNull(m.group()).group().getName(),
                        roles.require(m.membership().getRoleCode()).label()));
            }
            hits.add(new SearchHit(u.getId(), u.getDisplayName(), u.getCity(),
                    countries.require(u.getCountryCode()).name(), groups));
        }
        return hits;
    }

    @Override
    public Optional<Profile> profile(long userId, @Nullable String token) {
        // tag::profile-read[]
        Consistency consistency = ConsistencySession.restore(token).consistency();
        Optional<UsersRecord> user = db.read(consistency, ctx -> ctx.selectFrom(USERS)
                .where(USERS.ID.eq(userId)).fetchOptional());
        // end::profile-read[]
        return user.map(u -> new Profile(u.getId(), u.getEmail(), u.getDisplayName(),
                db.lookups().get(COUNTRIES).require(u.getCountryCode()).name(),
                db.lookups().get(LANGUAGES).require(u.getLanguageCode()).name(), u.getCity(), u.getBio()));
    }

    @Override
    public Written<Boolean> updateProfile(long userId, ProfileUpdate update) {
        // tag::profile-write[]
        Commit<Boolean> c = db.write(tx -> tx.update(USERS)
                .set(USERS.DISPLAY_NAME, update.displayName())
                .set(USERS.CITY, update.city())
                .set(USERS.BIO, update.bio())
                .set(USERS.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(USERS.ID.eq(userId))
                .execute() == 1);
        return new Written<>(c.value(), c.token().encode());
        // end::profile-write[]
    }

    @Override
    public Stats stats() {
        int waiting = 0;
        for (NodeStatus node : router.topology().snapshot()) {
            waiting += node.poolWaiting();
        }
        // The reason exists once the router spills saturated reads to the primary (issue 23); until then it is 0.
        long spills = router.routingCounts().getOrDefault(SPILL_REASON, 0L);
        return new Stats(roundTrips.sum(), holdNanos.sum(), waiting, spills);
    }

    @Override
    public void close() {
        db.close();
    }

    @Override
    public String toString() {
        return "JunctionDirectory[" + router + "]";
    }
}
