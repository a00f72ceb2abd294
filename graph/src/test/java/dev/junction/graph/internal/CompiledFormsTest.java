package dev.junction.graph.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.Configuration;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.TableField;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.NoConnectionProvider;
import org.jooq.impl.SQLDataType;
import org.jooq.impl.SchemaImpl;
import org.jooq.impl.TableImpl;
import org.junit.jupiter.api.Test;

/**
 * A plan's compiled statements are made once per rendering configuration and reused by every later fetch, as a
 * Database's leases see it: each lease works on a configuration derived from the Database's, whose settings jOOQ
 * clones, and rendering a schema-qualified name fills in defaults on the settings it renders with.
 */
class CompiledFormsTest {

    private static final class Public extends SchemaImpl {
        Public() {
            super(DSL.name("public"), null);
        }
    }

    /** A generated-style table in a schema, so rendering it qualifies its name as generated code does. */
    private static final class Users extends TableImpl<Record> {
        final TableField<Record, Long> id = createField(DSL.name("id"), SQLDataType.BIGINT.notNull(), this);

        Users() {
            super(DSL.name("users"), new Public());
        }
    }

    private static final Users USERS = new Users();

    private static final Configuration DATABASE = new DefaultConfiguration().set(SQLDialect.POSTGRES)
            .set(new Settings());

    /** A lease's context: derived from the Database's configuration, as Junction's units derive theirs. */
    private static DSLContext lease() {
        return DSL.using(DATABASE.derive(new NoConnectionProvider()));
    }

    @Test
    void aFormCompiledInOneLeaseIsReusedByTheNextLeasesEqualSettings() {
        CompiledForms forms = new CompiledForms();
        AtomicInteger compiles = new AtomicInteger();
        for (int fetch = 0; fetch < 5; fetch++) {
            String sql = forms.get(lease(), "per-level", ctx -> {
                compiles.incrementAndGet();
                return ctx.render(DSL.select(USERS.id).from(USERS));
            });
            assertThat(sql).isEqualTo("select \"public\".\"users\".\"id\" from \"public\".\"users\"");
        }
        assertThat(compiles).as("statements compiled over 5 fetches in 5 leases").hasValue(1);
    }

    @Test
    void anotherVariantOrOtherSettingsCompileTheirOwnForm() {
        CompiledForms forms = new CompiledForms();
        AtomicInteger compiles = new AtomicInteger();
        forms.get(lease(), "per-level", ctx -> compiles.incrementAndGet());
        forms.get(lease(), "per-level, in one message", ctx -> compiles.incrementAndGet());
        DSLContext formatted = DSL.using(DATABASE.derive(new Settings().withRenderFormatted(true)));
        forms.get(formatted, "per-level", ctx -> compiles.incrementAndGet());
        forms.get(lease(), "per-level", ctx -> compiles.incrementAndGet());
        assertThat(compiles).as("one form per variant and rendering configuration").hasValue(3);
    }
}
