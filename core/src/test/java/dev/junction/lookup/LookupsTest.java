package dev.junction.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import dev.junction.ConfigurationException;
import java.time.Duration;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class LookupsTest {
    private static final Table<Record> ROLE = table(name("public", "role"));
    private static final Field<String> CODE = field(name("code"), String.class);
    private static final LookupTable<String, Record> ROLES = LookupTable.of(ROLE, CODE);

    @Test
    void defaultsAreDocumentedValues() {
        Lookups lookups = Lookups.builder().table(ROLES).build();
        assertThat(lookups.ttl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(lookups.maximumRows()).isEqualTo(10_000);
        assertThat(lookups.channel()).isEqualTo("junction_lookups");
        assertThat(lookups.notifications()).isTrue();
        assertThat(lookups.listenerDataSource()).isNull();
        assertThat(Lookups.from(lookups).ttl(Duration.ofSeconds(30)).build().tables()).containsExactly(ROLES);
    }

    @Test
    void buildRefusesAnEmptyOrDuplicatedDeclarationNamingTheFieldAndTheFix() {
        assertThatThrownBy(() -> Lookups.builder().build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Lookups.tables is empty; declare at least one table with");
        assertThatThrownBy(() -> Lookups.builder().table(ROLES).table(LookupTable.of(ROLE, CODE, r -> "x")).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Lookups.tables declares table 'public.role' twice")
                .hasMessageContaining("declare each table once");
        assertThatThrownBy(() -> Lookups.builder().table(ROLES).notifications(false)
                .listenerDataSource(new PGSimpleDataSource()).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Lookups.listenerDataSource is set but Lookups.notifications is off");
    }

    @Test
    void settersRefuseBadValuesAtOnce() {
        assertThatThrownBy(() -> Lookups.builder().ttl(Duration.ZERO))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("ttl must be positive, e.g. Duration.ofMinutes(10), but was PT0S");
        assertThatThrownBy(() -> Lookups.builder().maximumRows(0))
                .hasMessage("maximumRows must be >= 1, e.g. 10000, but was 0");
        assertThatThrownBy(() -> Lookups.builder().channel("Lookups; drop table x"))
                .hasMessageStartingWith("channel must be a lower-case SQL identifier");
        assertThatThrownBy(() -> Lookups.builder().listenerLeaseLifetime(Duration.ofSeconds(-1)))
                .hasMessageStartingWith("listenerLeaseLifetime must be positive");
    }

    @Test
    void fromCopiesEveryValueWithValueEquality() {
        PGSimpleDataSource listener = new PGSimpleDataSource();
        Lookups custom = Lookups.builder().table(ROLES).ttl(Duration.ofMinutes(1)).maximumRows(50)
                .channel("my_lookups").listenerDataSource(listener).listenerLeaseLifetime(Duration.ofMinutes(2))
                .build();
        Lookups copy = Lookups.from(custom).build();
        assertThat(copy).isEqualTo(custom).hasSameHashCodeAs(custom);
        assertThat(copy.tables()).containsExactly(ROLES);
        assertThat(copy.ttl()).isEqualTo(Duration.ofMinutes(1));
        assertThat(copy.maximumRows()).isEqualTo(50);
        assertThat(copy.channel()).isEqualTo("my_lookups");
        assertThat(copy.notifications()).isTrue();
        assertThat(copy.listenerDataSource()).isSameAs(listener);
        assertThat(copy.listenerLeaseLifetime()).isEqualTo(Duration.ofMinutes(2));
        assertThat(Lookups.from(custom).maximumRows(51).build()).isNotEqualTo(custom);
        assertThatThrownBy(() -> Lookups.from(custom).notifications(false).build())
                .as("from() keeps the listener DataSource, so the cross-field rule still applies")
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Lookups.listenerDataSource is set but Lookups.notifications is off");
    }

    @Test
    void aLookupTableMustBeANamedTable() {
        assertThatThrownBy(() -> LookupTable.of(table("select * from role"), CODE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table must be a named table");
        assertThat(LookupTable.of(table(name("role")), CODE).name()).isEqualTo("role");
        assertThat(ROLES.name()).isEqualTo("public.role");
        assertThat(ROLES).isEqualTo(LookupTable.of(ROLE, CODE));
    }
}
