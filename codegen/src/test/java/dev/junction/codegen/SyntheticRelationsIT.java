package dev.junction.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.graph.Strategy;
import dev.junction.testkit.EmbeddedPostgresCluster;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.SyntheticForeignKeyType;
import org.jooq.meta.jaxb.SyntheticObjectsType;
import org.jooq.meta.jaxb.SyntheticPrimaryKeyType;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: jOOQ's synthetic keys from the codegen configuration make graphs of what the catalog does not relate: a
 * partitioned table whose foreign keys sit on its partitions, and a view.
 */
class SyntheticRelationsIT {
    private static final Path WORK = Path.of("target/it-codegen/synthetic");
    private static final String SCHEMA = """
            create table customer (id bigint primary key, name text not null);
            -- Partitioned by month; the foreign keys are declared on the partitions only, as in the sample schema of
            -- the issue, so the catalog relates the partitions to customer but not the parent.
            create table payment (
                id          bigint        not null,
                customer_id bigint        not null,
                paid_on     date          not null,
                amount      numeric(8, 2) not null,
                primary key (id, paid_on)
            ) partition by range (paid_on);
            create table payment_p2022_01 partition of payment for values from ('2022-01-01') to ('2022-02-01');
            create table payment_p2022_02 partition of payment for values from ('2022-02-01') to ('2022-03-01');
            alter table payment_p2022_01 add foreign key (customer_id) references customer (id);
            alter table payment_p2022_02 add foreign key (customer_id) references customer (id);
            create view big_payment as select id, customer_id, paid_on, amount from payment where amount >= 100;
            """;
    private static final String SCENARIOS = """
            package com.example.syn.app;

            import com.example.syn.graphs.BigPaymentGraph;
            import com.example.syn.graphs.CustomerGraph;
            import com.example.syn.graphs.PaymentGraph;
            import dev.junction.graph.Strategy;
            import java.util.List;
            import org.jooq.DSLContext;

            public final class Scenarios {
                private Scenarios() {
                }

                /** The partitioned parent and the view as children of one root. */
                public static List<CustomerGraph.Node> customers(DSLContext ctx, Strategy strategy) {
                    return CustomerGraph.query().withPayments().withBigPayments().strategy(strategy).fetch(ctx);
                }

                /** The partitioned parent as the root. */
                public static List<PaymentGraph.Node> payments(DSLContext ctx, Strategy strategy) {
                    return PaymentGraph.query().withCustomer().strategy(strategy).fetch(ctx);
                }

                /** The view as the root, ordered by its synthetic primary key. */
                public static List<BigPaymentGraph.Node> bigPayments(DSLContext ctx, Strategy strategy) {
                    return BigPaymentGraph.query().withCustomer().strategy(strategy).fetch(ctx);
                }
            }
            """;

    @Test
    void aPartitionedParentAndAViewBecomeGraphRootsAndChildrenThroughSyntheticKeys() throws Exception {
        GeneratedSources.delete(WORK);
        Path migrations = Files.createDirectories(WORK.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__payments.sql"), SCHEMA);
        Path scenarios = Files.createDirectories(WORK.resolve("scenarios/com/example/syn/app"));
        Files.writeString(scenarios.resolve("Scenarios.java"), SCENARIOS);
        Generator generator = new Generator().withDatabase(new Database().withSyntheticObjects(new SyntheticObjectsType()
                .withPrimaryKeys(new SyntheticPrimaryKeyType().withTables("big_payment").withFields("id", "paid_on"))
                .withForeignKeys(
                        new SyntheticForeignKeyType().withName("payment_customer_fk").withTables("payment")
                                .withFields("customer_id").withReferencedTable("customer").withReferencedFields("id"),
                        new SyntheticForeignKeyType().withName("big_payment_customer_fk").withTables("big_payment")
                                .withFields("customer_id").withReferencedTable("customer")
                                .withReferencedFields("id"))));
        JunctionCodegen.Result result = JunctionCodegen.builder().migrations(migrations).packageName("com.example.syn")
                .targetDirectory(WORK.resolve("src")).generator(generator).build().run();
        assertThat(result.outcome()).isEqualTo(JunctionCodegen.Outcome.GENERATED);
        Path graphs = WORK.resolve("src/com/example/syn/graphs");
        assertThat(graphs.resolve("CustomerGraph.java")).content()
                .contains("public Query withPayments()", "public Query withBigPayments()");
        assertThat(graphs.resolve("BigPaymentGraph.java")).content().contains("public Query withCustomer()");

        GeneratedSources.Compilation compilation = GeneratedSources.compile(WORK.resolve("classes"),
                WORK.resolve("src"), WORK.resolve("scenarios"));
        assertThat(compilation.diagnostics()).isEmpty();
        try (URLClassLoader loader = compilation.load();
                EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(0).start()) {
            Flyway.configure().dataSource(cluster.primary().jdbcUrl(), cluster.user(), cluster.password())
                    .locations("filesystem:" + migrations.toAbsolutePath()).load().migrate();
            try (Connection connection = cluster.primary().connect()) {
                DSLContext ctx = DSL.using(connection, SQLDialect.POSTGRES);
                ctx.execute("insert into customer values (1, 'Ada'), (2, 'Bo'), (3, 'Cy')");
                ctx.execute("insert into payment values (1, 1, '2022-01-05', 20), (2, 1, '2022-02-07', 150),"
                        + " (3, 2, '2022-01-09', 300), (4, 2, '2022-02-11', 99.99), (5, 1, '2022-01-20', 100)");
                Class<?> s = loader.loadClass("com.example.syn.app.Scenarios");
                for (String scenario : List.of("customers", "payments", "bigPayments")) {
                    Method m = s.getMethod(scenario, DSLContext.class, Strategy.class);
                    List<?> reference = (List<?>) m.invoke(null, ctx, Strategy.perLevel(5_000));
                    for (Strategy strategy : List.of(Strategy.automatic(), Strategy.perLevel(), Strategy.join(),
                            Strategy.multiset())) {
                        if (scenario.equals("customers") && strategy == Strategy.join()) {
                            continue; // two to-many branches: no flat join
                        }
                        assertThat(m.invoke(null, ctx, strategy)).as("%s via %s", scenario, strategy)
                                .isEqualTo(reference);
                    }
                    assertThat(reference).as(scenario).isNotEmpty();
                }
                List<?> customers = (List<?>) s.getMethod("customers", DSLContext.class, Strategy.class)
                        .invoke(null, ctx, Strategy.automatic());
                assertThat(customers).hasSize(3);
                assertThat(children(customers.get(0), "payments")).hasSize(3);
                assertThat(children(customers.get(0), "bigPayments")).hasSize(2);
                assertThat(children(customers.get(1), "payments")).hasSize(2);
                assertThat(children(customers.get(1), "bigPayments")).hasSize(1);
                assertThat(children(customers.get(2), "payments")).isEmpty();
                List<?> big = (List<?>) s.getMethod("bigPayments", DSLContext.class, Strategy.class)
                        .invoke(null, ctx, Strategy.automatic());
                assertThat(big).hasSize(3);
                for (Object node : big) {
                    assertThat(component(node, "customer")).as("each big payment's customer").isNotNull();
                }
            }
        }
    }

    @Test
    void aSyntheticForeignKeyNamingAColumnTheTableLacksFailsTheRunNamingTheKeyAndTheColumn() throws Exception {
        Path work = WORK.resolveSibling("synthetic-invalid");
        GeneratedSources.delete(work);
        Path migrations = Files.createDirectories(work.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__payments.sql"), SCHEMA);
        Generator generator = new Generator().withDatabase(new Database().withSyntheticObjects(new SyntheticObjectsType()
                .withForeignKeys(new SyntheticForeignKeyType().withName("payment_client_fk").withTables("payment")
                        .withFields("client_id").withReferencedTable("customer"))));
        JunctionCodegen codegen = JunctionCodegen.builder().migrations(migrations).packageName("com.example.syn")
                .targetDirectory(work.resolve("src")).generator(generator).build();
        assertThatThrownBy(codegen::run).isInstanceOf(CodegenException.class)
                .hasMessageContaining("synthetic foreign key payment_client_fk: public.payment has no column"
                        + " 'client_id'");
        assertThat(work.resolve("src").resolve(JunctionCodegen.STAMP_FILE)).doesNotExist();
    }

    private static List<?> children(Object node, String relation) throws Exception {
        return (List<?>) component(node, relation);
    }

    private static Object component(Object node, String name) throws Exception {
        return node.getClass().getMethod(name).invoke(node);
    }
}
