package dev.junction.graph.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.graph.GraphQuery;
import dev.junction.graph.Relation;
import dev.junction.graph.Strategy;
import org.jooq.ForeignKey;
import org.jooq.Record;
import org.jooq.TableField;
import org.jooq.UniqueKey;
import org.jooq.impl.DSL;
import org.jooq.impl.Internal;
import org.jooq.impl.QOM.ForeignKeyRule;
import org.jooq.impl.SQLDataType;
import org.jooq.impl.TableImpl;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The automatic choice, without a database ({@code resolve} runs no statement): per-level whenever its levels can
 * travel in one message, and for levels that cannot (a limited level whose table has no primary key, so its rows are
 * not the same in every statement that selects them) the round-trip-saving choices by root count.
 */
class AutomaticStrategyTest {

    /** A table with an id, a parent_id and an optional primary key on id. */
    private static final class T extends TableImpl<Record> {
        final TableField<Record, Long> id = createField(DSL.name("id"), SQLDataType.BIGINT.notNull(), this);
        final TableField<Record, Long> parentId = createField(DSL.name("parent_id"), SQLDataType.BIGINT, this);
        private final boolean keyed;

        T(String name, boolean keyed) {
            super(DSL.name(name));
            this.keyed = keyed;
        }

        @Override
        public @Nullable UniqueKey<Record> getPrimaryKey() {
            return keyed ? Internal.createUniqueKey(this, DSL.name(getName() + "_pkey"), id) : null;
        }
    }

    private static final T KEYED = new T("keyed", true);
    private static final T UNKEYED = new T("unkeyed", false);
    private static final T CHILD = new T("child", true);
    private static final T OTHER = new T("other", true);

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static TableField<Record, ?>[] fields(TableField<Record, ?> field) {
        return new TableField[] {field};
    }

    private static ForeignKey<Record, Record> key(T from, T to, String name) {
        UniqueKey<Record> target = to.getPrimaryKey() != null ? to.getPrimaryKey()
                : Internal.createUniqueKey(to, DSL.name(to.getName() + "_id_key"), to.id);
        return Internal.createForeignKey(from, DSL.name(from.getName() + "_" + name + "_fkey"), fields(from.parentId),
                target, fields(to.id), true, ForeignKeyRule.NO_ACTION, ForeignKeyRule.NO_ACTION);
    }

    private static Relation<Record, Record> children(T parent, T child, String name) {
        return Relation.toMany(name, key(child, parent, name));
    }

    private static String chosen(GraphQuery<?> query) {
        return Strategy.automatic().resolve(query).name();
    }

    @Test
    void readsPerLevelInOneRoundTripWhenEveryLimitedLevelHasAPrimaryKey() {
        GraphQuery<Record> q = GraphQuery.of(KEYED).with(children(KEYED, CHILD, "children"));
        assertThat(chosen(q.limit(1))).isEqualTo("per-level");
        assertThat(chosen(q.limit(500))).isEqualTo("per-level");
        assertThat(chosen(q)).isEqualTo("per-level");
        assertThat(chosen(GraphQuery.of(UNKEYED).with(children(UNKEYED, CHILD, "children"))))
                .as("no limit: every statement selects all matching roots").isEqualTo("per-level");
    }

    @Test
    void limitedRootsWithoutAPrimaryKeyAreJoinedOrReadWithMultisetWhenFewElsePerLevel() {
        GraphQuery<Record> onePath = GraphQuery.of(UNKEYED).with(children(UNKEYED, CHILD, "children"));
        assertThat(chosen(onePath.limit(AutomaticStrategy.JOIN_MAX_ROOTS_ONE_LEVEL))).isEqualTo("join");
        assertThat(chosen(onePath.limit(AutomaticStrategy.JOIN_MAX_ROOTS_ONE_LEVEL + 1))).isEqualTo("per-level");
        GraphQuery<Record> nested = GraphQuery.of(UNKEYED).with(children(UNKEYED, KEYED, "children"),
                GraphQuery.of(KEYED).with(children(KEYED, CHILD, "grandchildren")));
        assertThat(chosen(nested.limit(AutomaticStrategy.JOIN_MAX_ROOTS_NESTED))).isEqualTo("join");
        assertThat(chosen(nested.limit(AutomaticStrategy.JOIN_MAX_ROOTS_NESTED + 1))).isEqualTo("per-level");
        GraphQuery<Record> branches = GraphQuery.of(UNKEYED).with(children(UNKEYED, CHILD, "children"))
                .with(children(UNKEYED, OTHER, "others"));
        assertThat(chosen(branches.limit(AutomaticStrategy.MULTISET_MAX_ROOTS))).isEqualTo("multiset");
        assertThat(chosen(branches.limit(AutomaticStrategy.MULTISET_MAX_ROOTS + 1))).isEqualTo("per-level");
    }

    /** The strategy chosen for {@code query} at {@code roundTripNanos} per round trip (-1: unknown), as toString. */
    private static String chosenAt(GraphQuery<?> query, long roundTripNanos) {
        return AutomaticStrategy.INSTANCE.choose(GraphPlan.bind(query), roundTripNanos).strategy().toString();
    }

    @Test
    void manyRootsNearTheDatabaseGetAStatementPerLevelAndFewRootsOrAFarDatabaseOneMessage() {
        // Two to-many levels below the root: a round trip per level costs 3 round trips more than one message.
        GraphQuery<Record> q = GraphQuery.of(KEYED).with(children(KEYED, CHILD, "children"),
                GraphQuery.of(CHILD).with(children(CHILD, OTHER, "grandchildren")));
        long loopback = 100_000;
        long oneMs = 1_000_000;
        String oneMessage = "Strategy.perLevel()";
        String perLevelEach = "Strategy.perLevel(" + PerLevelStrategy.DEFAULT_MAX_KEYS + ")";
        assertThat(chosenAt(q.limit(200), loopback)).as("200 roots, 0.1 ms").isEqualTo(perLevelEach);
        assertThat(chosenAt(q.limit(200), 0)).as("200 roots, no measurable round trip").isEqualTo(perLevelEach);
        assertThat(chosenAt(q.limit(200), oneMs)).as("200 roots, 1 ms").isEqualTo(oneMessage);
        assertThat(chosenAt(q.limit(20), 0)).as("20 roots, at or below the fold limit").isEqualTo(oneMessage);
        assertThat(chosenAt(q.limit(PerLevelStrategy.FOLD_MAX_ROOTS + 1), 0)).isEqualTo(perLevelEach);
        assertThat(chosenAt(q.limit(200), -1)).as("round trip unknown").isEqualTo(oneMessage);
        assertThat(chosenAt(q, 0)).as("roots not bounded").isEqualTo(oneMessage);
        assertThat(chosen(q.limit(200))).as("resolve(...) knows no round trip").isEqualTo("per-level");
        assertThat(Strategy.automatic().resolve(q.limit(200)).toString()).isEqualTo(oneMessage);
    }

    @Test
    void toOneRelationsOnlyAreJoined() {
        Relation<Record, Record> parent = Relation.toOne("parent", key(CHILD, KEYED, "parent"));
        assertThat(chosen(GraphQuery.of(CHILD).with(parent).limit(3))).isEqualTo("join");
    }
}
