package dev.junction.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import dev.junction.Junction;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * {@code Junction.builder().dataSource(...)} refuses Spring's transaction-aware proxy, which would hand Junction the
 * connection of a Spring-managed transaction to commit or roll back, and says to pass its target instead; the target
 * itself is accepted.
 */
class SpringDataSourceRuleTest {
    private final DataSource target = new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/never-connected");

    @Test
    void aTransactionAwareProxyIsRefusedWithWhatToPassInstead() {
        assertThatThrownBy(() -> Junction.builder().dataSource(new TransactionAwareDataSourceProxy(target)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("TransactionAwareDataSourceProxy")
                .hasMessageContaining("would commit or roll back")
                .hasMessageContaining("proxy.getTargetDataSource()");
    }

    @Test
    void aSubclassOfTheProxyIsRefusedToo() {
        DataSource subclass = new TransactionAwareDataSourceProxy(target) {
        };
        assertThat(subclass.getClass()).isNotEqualTo(TransactionAwareDataSourceProxy.class);
        assertThatThrownBy(() -> Junction.builder().dataSource(subclass))
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void theProxysTargetIsAccepted() {
        TransactionAwareDataSourceProxy proxy = new TransactionAwareDataSourceProxy(target);
        assertThatCode(() -> Junction.builder().dataSource(proxy.getTargetDataSource())).doesNotThrowAnyException();
    }
}
