package com.example.app;

import static com.example.db.Tables.DOCUMENT;
import static com.example.db.Tables.EMPLOYEE;
import static com.example.db.Tables.ORDER;
import static com.example.db.Tables.ORDER_LINE;
import static com.example.db.Tables.SAMPLE_WORK;
import static com.example.db.Tables.SHIPMENT_ITEM;
import static com.example.db.Tables.TAILOR;
import static com.example.db.Tables.USERS;

import com.example.db.graphs.DocumentGraph;
import com.example.db.graphs.EmployeeGraph;
import com.example.db.graphs.OrderGraph;
import com.example.db.graphs.OrderLineGraph;
import com.example.db.graphs.SampleWorkGraph;
import com.example.db.graphs.ShipmentItemGraph;
import com.example.db.graphs.TailorGraph;
import com.example.db.graphs.UsersGraph;
import com.example.db.tables.records.UsersRecord;
import dev.junction.graph.Strategy;
import java.math.BigDecimal;
import java.util.List;
import org.jooq.DSLContext;

/**
 * Typed uses of the generated graph fetchers, compiled in-test against freshly generated sources (so the generated
 * API is proven type-safe) and called by {@code GraphFetchIT} and {@code GraphSnapshotIT}. The snippets in docs/codegen.md come from here.
 */
public final class GraphScenarios {
    private GraphScenarios() {
    }

    // tag::tailors[]
    /** Tailors of one city, with their user and their sample works: one statement. */
    public static List<TailorGraph.Node> tailorsIn(DSLContext ctx, String city) {
        return TailorGraph.query()
                .withUser()
                .withSampleWorks()
                .where(TAILOR.CITY.eq(city))
                .orderBy(TAILOR.ID)
                .limit(20)
                .fetch(ctx);
    }
    // end::tailors[]

    // tag::reading[]
    /** Reads a fetched graph: typed records all the way down. */
    public static String describe(TailorGraph.Node node) {
        UsersGraph.Node user = node.user();
        String owner = user == null ? "?" : user.user().getEmail();
        StringBuilder s = new StringBuilder(node.tailor().getCity() + " (" + owner + "):");
        for (SampleWorkGraph.Node work : node.sampleWorks()) {
            s.append(' ').append(work.sampleWork().getTitle());
        }
        return s.toString();
    }
    // end::reading[]

    /** Two foreign keys to the same table, one of them nullable. */
    public static List<DocumentGraph.Node> documents(DSLContext ctx) {
        return DocumentGraph.query().withCreatedByUser().withUpdatedByUser().fetch(ctx);
    }

    /** Self-reference, two levels of reports below each employee, plus each employee's manager. */
    public static List<EmployeeGraph.Node> employees(DSLContext ctx) {
        return EmployeeGraph.query()
                .withManager()
                .withEmployeesByManager(EmployeeGraph.query().withEmployeesByManager())
                .fetch(ctx);
    }

    // tag::nested[]
    /** Reserved words ("order", "user", "group") and composite keys, three levels deep. */
    public static List<OrderGraph.Node> ordersOf(DSLContext ctx, String group) {
        return OrderGraph.query()
                .withUser()
                .withOrderLines(OrderLineGraph.query().withOrder().withShipmentItems())
                .where(ORDER.GROUP.eq(group))
                .orderBy(ORDER.ID.desc())
                .fetch(ctx);
    }
    // end::nested[]

    /** Four to-many branches under one root; nested filter, order and per-parent limit; root limit and offset. */
    public static List<UsersGraph.Node> users(DSLContext ctx) {
        return UsersGraph.query()
                .withTailors(TailorGraph.query()
                        .withSampleWorks(SampleWorkGraph.query()
                                .where(SAMPLE_WORK.PRICE.gt(new BigDecimal("50")))
                                .orderBy(SAMPLE_WORK.ID.desc())
                                .limit(2)))
                .withDocumentsByCreatedBy()
                .withDocumentsByUpdatedBy()
                .withOrders()
                .limit(10)
                .offset(3)
                .fetch(ctx);
    }

    /** A to-one chain: sample work -> tailor -> user. */
    public static List<SampleWorkGraph.Node> worksWithOwners(DSLContext ctx) {
        return SampleWorkGraph.query().withTailor(TailorGraph.query().withUser()).fetch(ctx);
    }

    /** The same graph, read by a strategy chosen per call. */
    public static List<TailorGraph.Node> tailorsWith(DSLContext ctx, Strategy strategy) {
        return TailorGraph.query().withUser().withSampleWorks().strategy(strategy).fetch(ctx);
    }

    /** A query without relations: nodes say nothing was fetched. */
    public static List<TailorGraph.Node> bareTailors(DSLContext ctx) {
        return TailorGraph.query().limit(5).fetch(ctx);
    }

    /** Rejected: a to-one relation reads at most one row, so its nested query cannot limit. */
    public static DocumentGraph.Query toOneWithLimit() {
        return DocumentGraph.query().withCreatedByUser(UsersGraph.query().limit(1));
    }

    /**
     * Rejected at fetch by MULTISET: a self-referencing nested query is aliased there, so a filter on the table itself
     * would be ambiguous. Per-level and join read it.
     */
    public static List<EmployeeGraph.Node> selfReferenceWithFilter(DSLContext ctx) {
        return EmployeeGraph.query()
                .withEmployeesByManager(EmployeeGraph.query().where(EMPLOYEE.NAME.like("a%")))
                .strategy(Strategy.multiset())
                .fetch(ctx);
    }

    // --- the same graphs as queries, so the tests can read each with every strategy ---

    public static TailorGraph.Query tailorsInQuery(String city) {
        return TailorGraph.query().withUser().withSampleWorks().where(TAILOR.CITY.eq(city)).orderBy(TAILOR.ID)
                .limit(20);
    }

    public static DocumentGraph.Query documentsQuery() {
        return DocumentGraph.query().withCreatedByUser().withUpdatedByUser();
    }

    public static EmployeeGraph.Query employeesQuery() {
        return EmployeeGraph.query().withManager().withEmployeesByManager(EmployeeGraph.query()
                .withEmployeesByManager());
    }

    public static OrderGraph.Query ordersOfQuery(String group) {
        return OrderGraph.query()
                .withUser()
                .withOrderLines(OrderLineGraph.query().withOrder().withShipmentItems())
                .where(ORDER.GROUP.eq(group))
                .orderBy(ORDER.ID.desc());
    }

    public static UsersGraph.Query usersQuery() {
        return UsersGraph.query()
                .withTailors(TailorGraph.query()
                        .withSampleWorks(SampleWorkGraph.query()
                                .where(SAMPLE_WORK.PRICE.gt(new BigDecimal("50")))
                                .orderBy(SAMPLE_WORK.ID.desc())
                                .limit(2)))
                .withDocumentsByCreatedBy()
                .withDocumentsByUpdatedBy()
                .withOrders()
                .limit(10)
                .offset(3);
    }

    public static SampleWorkGraph.Query worksWithOwnersQuery() {
        return SampleWorkGraph.query().withTailor(TailorGraph.query().withUser());
    }

    /** A to-one row shared by many roots (each work's tailor), with to-many children of its own. */
    public static SampleWorkGraph.Query worksWithPortfoliosQuery() {
        return SampleWorkGraph.query().withTailor(TailorGraph.query().withSampleWorks());
    }

    /** A nested per-parent filter, order, limit and offset under a paged root, on one to-many path. */
    public static TailorGraph.Query pagedTailorsQuery() {
        return TailorGraph.query()
                .withUser()
                .withSampleWorks(SampleWorkGraph.query()
                        .where(SAMPLE_WORK.PRICE.gt(new BigDecimal("20")))
                        .orderBy(SAMPLE_WORK.ID.desc())
                        .limit(2)
                        .offset(1))
                .limit(15)
                .offset(2);
    }

    /** A self-reference whose nested query filters on the table itself. */
    public static EmployeeGraph.Query selfReferenceWithFilterQuery() {
        return EmployeeGraph.query().withEmployeesByManager(EmployeeGraph.query().where(EMPLOYEE.NAME.like("a%")));
    }

    // --- issue 21: projections, the same graphs reading only some columns at every level ---

    // tag::projection[]
    /**
     * A tailor page that shows the city, the owner's e-mail and two titles per tailor: only those columns are read,
     * the keys that stitch the graph are added by the fetch (and stay null in the records, as they were not chosen).
     */
    public static TailorGraph.Query projectedTailorsInQuery(String city) {
        return TailorGraph.query()
                .select(TAILOR.CITY, TAILOR.RATING)
                .withUser(UsersGraph.query().select(USERS.EMAIL))
                .withSampleWorks(SampleWorkGraph.query()
                        .select(SAMPLE_WORK.TITLE, SAMPLE_WORK.TAGS)
                        .where(SAMPLE_WORK.PRICE.gt(new BigDecimal("20")))
                        .orderBy(SAMPLE_WORK.PRICE.desc(), SAMPLE_WORK.ID)
                        .limit(2))
                .where(TAILOR.CITY.eq(city))
                .orderBy(TAILOR.ID)
                .limit(20);
    }
    // end::projection[]

    /** Composite keys, none of them chosen, three levels deep, with a to-one below a to-many. */
    public static OrderGraph.Query projectedOrdersOfQuery(String group) {
        return OrderGraph.query()
                .select(ORDER.GROUP)
                .withUser(UsersGraph.query().select(USERS.NAME))
                .withOrderLines(OrderLineGraph.query()
                        .select(ORDER_LINE.QUANTITY)
                        .withOrder(OrderGraph.query().select(ORDER.SELECT))
                        .withShipmentItems(ShipmentItemGraph.query().select(SHIPMENT_ITEM.SHIPPED)))
                .where(ORDER.GROUP.eq(group))
                .orderBy(ORDER.ID.desc());
    }

    /** A shared to-one row with to-many children of its own, its key chosen at one level and not at the others. */
    public static SampleWorkGraph.Query projectedWorksWithPortfoliosQuery() {
        return SampleWorkGraph.query()
                .select(SAMPLE_WORK.ID, SAMPLE_WORK.TITLE)
                .withTailor(TailorGraph.query()
                        .select(TAILOR.CITY)
                        .withSampleWorks(SampleWorkGraph.query().select(SAMPLE_WORK.PRICE, SAMPLE_WORK.PHOTO)));
    }

    /** A self-reference two levels deep plus the manager, each level choosing other columns. */
    public static EmployeeGraph.Query projectedEmployeesQuery() {
        return EmployeeGraph.query()
                .select(EMPLOYEE.NAME)
                .withManager(EmployeeGraph.query().select(EMPLOYEE.ID))
                .withEmployeesByManager(EmployeeGraph.query()
                        .select(EMPLOYEE.NAME, EMPLOYEE.MANAGER_ID)
                        .withEmployeesByManager(EmployeeGraph.query().select(EMPLOYEE.NAME)));
    }

    /** Three to-many branches under a paged root (not one path, so no flat join), each projected. */
    public static UsersGraph.Query projectedUsersQuery() {
        return UsersGraph.query()
                .select(USERS.EMAIL, USERS.CREATED_AT)
                .withTailors(TailorGraph.query().select(TAILOR.ACTIVE))
                .withDocumentsByCreatedBy(DocumentGraph.query().select(DOCUMENT.TITLE))
                .withOrders(OrderGraph.query().select(ORDER.SELECT).orderBy(ORDER.SELECT.desc(), ORDER.ID).limit(1))
                .limit(10)
                .offset(3);
    }

    /** The user row type stays the generated record type. */
    public static UsersRecord firstUser(DSLContext ctx) {
        return UsersGraph.query().limit(1).fetch(ctx).get(0).user();
    }
}
