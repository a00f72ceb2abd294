package dev.junction.codegen.internal;

import dev.junction.codegen.internal.RelationNaming.ForeignKey;
import dev.junction.codegen.internal.RelationNaming.TableName;
import dev.junction.codegen.internal.SyntheticForeignKeys.Resolved;
import java.util.Map;
import org.jooq.codegen.GeneratorStrategy;
import org.jooq.meta.ForeignKeyDefinition;
import org.jooq.meta.TableDefinition;
import org.jspecify.annotations.Nullable;

/**
 * The tables and foreign keys a graph generation run covers, and the Java names jOOQ's naming strategy gave them:
 * what {@link GraphSource} needs to refer to jOOQ's generated code, gathered once by {@link GraphGenerator}.
 */
final class GraphNames {
    private final GeneratorStrategy strategy;
    private final Map<TableName, TableDefinition> tables;
    private final Map<ForeignKey, ForeignKeyDefinition> keys;
    private final Map<ForeignKey, Resolved> synthetic;

    GraphNames(GeneratorStrategy strategy, Map<TableName, TableDefinition> tables,
            Map<ForeignKey, ForeignKeyDefinition> keys, Map<ForeignKey, Resolved> synthetic) {
        this.strategy = strategy;
        this.tables = tables;
        this.keys = keys;
        this.synthetic = synthetic;
    }

    GeneratorStrategy strategy() {
        return strategy;
    }

    TableDefinition definition(TableName table) {
        return tables.get(table);
    }

    /** The catalog's definition of {@code key}, or null for a synthetic key ({@link #synthetic}). */
    @Nullable ForeignKeyDefinition foreignKey(ForeignKey key) {
        return keys.get(key);
    }

    /** The synthetic foreign key from the codegen configuration, or null for a key the catalog declares. */
    @Nullable Resolved synthetic(ForeignKey key) {
        return synthetic.get(key);
    }

    /** The package of a table's graph class: its schema's jOOQ package plus {@code .graphs}. */
    String graphPackage(TableName table) {
        return strategy.getJavaPackageName(tables.get(table).getSchema()) + "." + GraphGenerator.PACKAGE_SUFFIX;
    }

    /** The simple name of a table's graph class: jOOQ's class name of the table plus {@code Graph}. */
    String graphClass(TableName table) {
        return strategy.getJavaClassName(tables.get(table)) + "Graph";
    }
}
