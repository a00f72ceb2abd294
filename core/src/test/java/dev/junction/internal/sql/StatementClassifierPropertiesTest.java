package dev.junction.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property tests of the statement classifier (issue 24): a statement that writes or locks rows is never classified as
 * a read, whatever comments, quoting, CTEs, case and locking-clause spelling surround it. Misjudging a write as a
 * read would send it to a replica; the other way round only costs a primary round trip, so only this direction is
 * a rule.
 */
class StatementClassifierPropertiesTest {

    @Provide
    Arbitrary<String> writes() {
        Arbitrary<String> statement = Arbitraries.oneOf(plainWrites(), lockingReads(), writableCtes(), selectInto(),
                explainAnalyze());
        return Combinators.combine(gaps(), statement, Arbitraries.of(Case.values()))
                .as((lead, sql, c) -> lead + c.apply(sql));
    }

    @Property(tries = 2000)
    void aStatementThatWritesOrLocksIsNeverARead(@ForAll("writes") String sql) {
        assertThat(StatementClassifier.classifyText(sql)).as(sql).isNotEqualTo(StatementClassifier.Kind.READ);
    }

    /** Case changes keep the meaning of SQL keywords (and of these tests' identifiers and literals). */
    enum Case {
        AS_WRITTEN, UPPER, LOWER;

        String apply(String sql) {
            return switch (this) {
                case AS_WRITTEN -> sql;
                case UPPER -> sql.toUpperCase(Locale.ROOT);
                case LOWER -> sql.toLowerCase(Locale.ROOT);
            };
        }
    }

    /** Whitespace and comments, some holding the words a careless scanner would act on. */
    private static Arbitrary<String> gaps() {
        return Arbitraries.of(" ", "\n", "\t", "  ", "-- select\n", "/* select 1 */", "/* a /* nested select */ b */",
                " /* for update */ ", "--\n", "/**/").list().ofMinSize(0).ofMaxSize(3).map(l -> String.join("", l));
    }

    private static Arbitrary<String> gap() {
        return gaps().map(g -> g.isEmpty() ? " " : g.startsWith("/*") || g.startsWith("--") ? " " + g + " " : g);
    }

    /** Table names, quoted ones spelling keywords. */
    private static Arbitrary<String> tables() {
        return Arbitraries.of("t", "orders", "s.orders", "\"select\"", "\"Order Items\"", "\"for update\"",
                "\"with\"", "public.\"values\"");
    }

    /** Literals that contain SQL words, in every quoting PostgreSQL has. */
    private static Arbitrary<String> literals() {
        return Arbitraries.of("1", "'x'", "'select 1'", "'it''s a read'", "$$ select $$", "$q$ for share $q$",
                "E'\\'select'", "'/* not a comment */'", "U&'d\\0061ta'");
    }

    /** Data-modifying statements PostgreSQL accepts inside a CTE and after EXPLAIN ANALYZE. */
    private static Arbitrary<String> dataWrites() {
        return writes(List.of("insert into %s values (%s)", "insert into %s select %s", "update %s set c = %s",
                "delete from %s where c = %s"));
    }

    private static Arbitrary<String> plainWrites() {
        return Arbitraries.oneOf(dataWrites(), writes(List.of(
                "merge into %s using s on c = %s when matched then delete", "truncate %s /* %s */",
                "insert into %s (c) values (%s) on conflict do nothing returning *",
                "update %s set c = %s returning c")));
    }

    private static Arbitrary<String> writes(List<String> shapes) {
        return Combinators.combine(Arbitraries.of(shapes), tables(), literals(), gap())
                .as((shape, table, literal, g) -> shape.replace(" ", g).formatted(table, literal));
    }

    private static Arbitrary<String> lockingReads() {
        Arbitrary<String> strength = Arbitraries.of("update", "no key update", "share", "key share");
        Arbitrary<String> tail = Arbitraries.of("", " nowait", " skip locked", " of t");
        Arbitrary<String> before = Arbitraries.of("", " where c = 1", " order by 1", " limit 1", " where c in"
                + " (select 1)");
        return Combinators.combine(literals(), tables(), before, gap(), strength, tail, Arbitraries.of(false, true))
                .as((literal, table, where, g, lock, t, parenthesised) -> {
                    String sql = "select " + literal + " from " + table + where + g + "for" + g
                            + lock.replace(" ", g) + t;
                    return parenthesised ? "(" + sql + ")" : sql;
                });
    }

    private static Arbitrary<String> writableCtes() {
        Arbitrary<String> name = Arbitraries.of("w", "\"select\"", "\"w x\"");
        Arbitrary<String> readCte = Arbitraries.of("", "r as (select 1), ", "r as (select 'insert' from t), ",
                "r as materialized (values (1)), ");
        return Combinators.combine(Arbitraries.of("", "recursive "), readCte, name, dataWrites(),
                        Arbitraries.of("", "materialized ", "not materialized "), gap())
                .as((recursive, first, n, write, materialized, g) -> "with" + g + recursive + first + n + " as "
                        + materialized + "(" + write + " returning *)" + g + "select * from " + n);
    }

    private static Arbitrary<String> selectInto() {
        return Combinators.combine(literals(), tables(), gap())
                .as((literal, table, g) -> "select " + literal + g + "into" + g + "new_table from " + table);
    }

    private static Arbitrary<String> explainAnalyze() {
        return Combinators.combine(Arbitraries.of("explain analyze ", "explain (analyze) ",
                        "explain (analyze, buffers) ", "explain (costs off, analyse true) "), dataWrites())
                .as((explain, write) -> explain + write);
    }
}
