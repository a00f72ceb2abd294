package dev.junction.routing;

import static dev.junction.routing.ConfigCopies.assertFromCarriesEveryField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import dev.junction.spi.Role;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: NodeConfig is a config type with a builder, {@code from} and value equality; it has no defaults, since
 * the name and the URL are mandatory.
 */
class NodeConfigTest {
    private static final NodeConfig FULL = NodeConfig.builder().name("replica-1")
            .jdbcUrl("jdbc:postgresql://bouncer:6432/app").role(Role.REPLICA)
            .pool(PoolSettings.builder().maximumPoolSize(3).build()).pooler(Pooler.PGBOUNCER_TRANSACTION)
            .directUrl("jdbc:postgresql://pg-2:5432/app").weight(3).build();

    @Test
    void theShorthandsEqualTheBuilderWithTheirRole() {
        NodeConfig.Builder b = NodeConfig.builder().name("n").jdbcUrl("jdbc:postgresql://h/d");
        assertThat(NodeConfig.primary("n", "jdbc:postgresql://h/d")).isEqualTo(b.role(Role.PRIMARY).build());
        assertThat(NodeConfig.replica("n", "jdbc:postgresql://h/d")).isEqualTo(b.role(Role.REPLICA).build());
        NodeConfig discovered = NodeConfig.discovered("n", "jdbc:postgresql://h/d");
        assertThat(discovered).isEqualTo(NodeConfig.builder().name("n").jdbcUrl("jdbc:postgresql://h/d").build());
        assertThat(discovered.roleDiscovered()).isTrue();
        assertThat(discovered.role()).isNull();
        assertThat(discovered.pool()).isNull();
        assertThat(discovered.pooler()).isNull();
        assertThat(discovered.directUrl()).isNull();
    }

    @Test
    void fromCarriesEveryFieldAndEachChangeShows() {
        assertFromCarriesEveryField(FULL, NodeConfig::from, NodeConfig.Builder::build,
                Map.<String, UnaryOperator<NodeConfig.Builder>>of(
                        "name", b -> b.name("replica-2"),
                        "jdbcUrl", b -> b.jdbcUrl("jdbc:postgresql://bouncer:6432/other"),
                        "role", b -> b.role(Role.PRIMARY),
                        "pool", b -> b.pool(PoolSettings.defaults()),
                        "pooler", b -> b.pooler(Pooler.NONE),
                        "directUrl", b -> b.directUrl("jdbc:postgresql://pg-3:5432/app"),
                        "weight", b -> b.weight(1)));
    }

    @Test
    void toStringHidesWhatAUrlMayCarryBesidesTheServer() {
        NodeConfig leaky = NodeConfig.builder().name("p").jdbcUrl("jdbc:postgresql://u:hunter2@db1/app?password=pw2")
                .directUrl("jdbc:postgresql://db1/app?password=pw3").build();
        assertThat(leaky.toString()).doesNotContain("hunter2").doesNotContain("pw2").doesNotContain("pw3")
                .contains("jdbcUrl=jdbc:postgresql://***@db1/app?...");
    }

    @Test
    void settersRefuseEachBadValueNamingTheOption() {
        NodeConfig.Builder b = NodeConfig.builder();
        assertThatThrownBy(() -> b.name("bad name")).isInstanceOf(ConfigurationException.class)
                .hasMessage("name must be 1-63 letters, digits, '-', '_' or '.', starting with a letter or digit, but"
                        + " was 'bad name'");
        assertThatThrownBy(() -> b.name("-dash")).isInstanceOf(ConfigurationException.class)
                .hasMessageEndingWith("but was '-dash'");
        assertThatThrownBy(() -> b.name("x".repeat(64))).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("name must be 1-63 letters");
        assertThatThrownBy(() -> b.jdbcUrl(" ")).isInstanceOf(ConfigurationException.class)
                .hasMessage("jdbcUrl must not be blank, but was ' '");
        assertThatThrownBy(() -> b.directUrl("")).isInstanceOf(ConfigurationException.class)
                .hasMessage("directUrl must not be blank, but was ''");
        assertThatThrownBy(() -> b.role(null)).isInstanceOf(NullPointerException.class).hasMessage("role");
    }

    @Test
    void buildRefusesAMissingNameOrUrl() {
        assertThatThrownBy(() -> NodeConfig.builder().jdbcUrl("jdbc:postgresql://h/d").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("name must be set: call name(...) with a unique name such as 'replica-1'");
        assertThatThrownBy(() -> NodeConfig.builder().name("n").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("jdbcUrl must be set: call jdbcUrl(...) with jdbc:postgresql://host:port/database");
    }
}
