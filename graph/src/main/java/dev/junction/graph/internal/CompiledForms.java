package dev.junction.graph.internal;

import java.util.Arrays;
import java.util.function.Function;
import org.jooq.Configuration;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;

/**
 * What strategies derived from one plan for rendering with a dialect and settings (their statements' SQL), by
 * variant: made once and kept, so later fetches with the same rendering configuration skip it. Thread-safe: readers
 * see an immutable array, writers replace it under the lock.
 */
final class CompiledForms {
    /** Compiled forms kept per plan (strategy variants times rendering configurations). */
    private static final int MAX_COMPILED = 16;

    private volatile Compiled[] compiled = new Compiled[0];

    /**
     * The form of {@code variant} for {@code ctx}'s rendering configuration, made by {@code compile} when there is
     * none yet. Not kept when the configuration has visit listeners, which may render every statement differently.
     */
    @SuppressWarnings("unchecked")
    <T> T get(DSLContext ctx, String variant, Function<DSLContext, T> compile) {
        Configuration c = ctx.configuration();
        if (c.visitListenerProviders().length > 0) {
            return compile.apply(ctx);
        }
        SQLDialect dialect = c.dialect();
        Settings settings = c.settings();
        Compiled[] known = compiled;
        for (Compiled k : known) {
            if (k.variant.equals(variant) && k.dialect == dialect && k.settings == settings) {
                return (T) k.value;
            }
        }
        for (Compiled k : known) {
            if (k.variant.equals(variant) && k.dialect == dialect && k.settingsCopy.equals(settings)) {
                return (T) k.value;
            }
        }
        // The copy is taken before compiling: rendering fills in defaults on the settings it renders with (jOOQ sets
        // an empty RenderMapping when it renders a schema-qualified name), and each lease's configuration starts from
        // a fresh clone of the Database's settings without them. A copy taken after would never equal a later lease's
        // settings, and every fetch would compile its statements again.
        Settings before = (Settings) settings.clone();
        T value = compile.apply(ctx);
        synchronized (this) {
            Compiled[] now = compiled;
            for (Compiled k : now) {
                if (k.variant.equals(variant) && k.dialect == dialect && k.settings == settings) {
                    return (T) k.value; // another thread made it first
                }
            }
            if (now.length < MAX_COMPILED) {
                Compiled[] next = Arrays.copyOf(now, now.length + 1);
                next[now.length] = new Compiled(variant, dialect, settings, before, value);
                compiled = next;
            }
        }
        return value;
    }

    /**
     * One compiled form. Settings are matched by identity first (a configuration keeps its instance), then by value
     * against a copy taken before the form was made.
     */
    private record Compiled(String variant, SQLDialect dialect, Settings settings, Settings settingsCopy,
            Object value) {
    }
}
