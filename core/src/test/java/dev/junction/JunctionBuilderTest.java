package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.spi.ConnectionRouter;
import dev.junction.spi.Lease;
import dev.junction.spi.RouteRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Issue 17: each option of {@link Junction.Builder} is checked in one place with one exception type: a single value
 * by its setter ({@link ConfigurationException}), a rule over several options by {@code build()}
 * ({@link ConfigurationException}). No database: nothing here connects.
 */
class JunctionBuilderTest {

    @Test
    void eachSetterRefusesItsBadValueAtOnceNamingTheOption() {
        assertThatThrownBy(() -> Junction.builder().parallelism(0))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("parallelism must be >= 1, but was 0");
        assertThatThrownBy(() -> Junction.builder().transactionBudget(Duration.ZERO))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("transactionBudget must be positive, e.g. Duration.ofSeconds(5), but was PT0S");
        assertThatThrownBy(() -> Junction.builder().transactionBudget(Duration.ofSeconds(-1)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("transactionBudget must be positive, e.g. Duration.ofSeconds(5), but was PT-1S");
        assertThatThrownBy(() -> Junction.builder().slowStatementThreshold(Duration.ofMillis(-1)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("slowStatementThreshold must be >= 0 (0 switches the log off), but was PT-0.001S");
    }

    @Test
    void buildRefusesNeitherOrBothConnectionSourcesNamingTheFix() {
        assertThatThrownBy(() -> Junction.builder().build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("dataSource or router must be set; call dataSource(...) for one database or router(...)"
                        + " for a primary with replicas");
        assertThatThrownBy(() -> Junction.builder().dataSource(new PGSimpleDataSource()).router(new NoRouter())
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("dataSource and router are both set; set only one of them");
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertThat(Junction.Builder.DEFAULT_PARALLELISM).isEqualTo(8);
        assertThat(Junction.Builder.DEFAULT_BUDGET_SECONDS).isEqualTo(5);
        try (Database db = Junction.builder().dataSource(new PGSimpleDataSource()).parallelism(1)
                .transactionBudget(Duration.ofMillis(1)).slowStatementThreshold(Duration.ZERO).build()) {
            assertThat(db).as("the smallest valid values are accepted").isNotNull();
        }
    }

    /** Issue 19: only a router that offers a {@link dev.junction.spi.ClusterView} gives one to operators. */
    @Test
    void aDatabaseWithoutAClusterViewSaysSoInsteadOfFailing() {
        try (Database onOneDataSource = Junction.builder().dataSource(new PGSimpleDataSource()).build();
             Database onAPlainRouter = Junction.builder().router(new NoRouter()).build()) {
            assertThat(onOneDataSource.cluster()).isEmpty();
            assertThat(onAPlainRouter.cluster()).isEmpty();
        }
    }

    /** A router that is never asked for a connection. */
    private static final class NoRouter implements ConnectionRouter {
        @Override
        public Lease acquire(RouteRequest request) {
            throw new AssertionError("not called");
        }

        @Override
        public void close() {
        }
    }
}
