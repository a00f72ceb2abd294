package dev.junction.codegen.internal;

import dev.junction.codegen.internal.RelationNaming.ForeignKey;
import dev.junction.codegen.internal.RelationNaming.Named;
import dev.junction.codegen.internal.RelationNaming.TableName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jooq.codegen.GeneratorStrategy;
import org.jooq.meta.ColumnDefinition;
import org.jooq.meta.Database;
import org.jooq.meta.ForeignKeyDefinition;
import org.jooq.meta.TableDefinition;

/**
 * Writes one {@code <Table>Graph} class per table that has relations, into {@code <schema package>.graphs}, next to
 * jOOQ's output and referring to it (tables, records, keys) by the names jOOQ's {@link GeneratorStrategy} gave them.
 */
public final class GraphGenerator {
    /** The sub-package of a schema's package that holds the graph classes. */
    public static final String PACKAGE_SUFFIX = "graphs";

    private final GeneratorStrategy strategy;
    private final Path targetDirectory;
    private final Charset encoding;
    private final Map<TableName, TableDefinition> tables = new LinkedHashMap<>();
    private final Map<ForeignKey, ForeignKeyDefinition> keys = new LinkedHashMap<>();
    private final Map<ForeignKey, SyntheticForeignKeys.Resolved> synthetic = new LinkedHashMap<>();
    private final GraphNames graphNames;

    /**
     * @param database the metadata jOOQ generated from
     * @param strategy jOOQ's naming strategy of that run
     * @param targetDirectory the source root jOOQ wrote to
     */
    public GraphGenerator(Database database, GeneratorStrategy strategy, Path targetDirectory, Charset encoding) {
        this.strategy = strategy;
        this.targetDirectory = targetDirectory;
        this.encoding = encoding;
        // Views are included: the catalog gives them no keys, but the codegen configuration can (synthetic primary
        // keys, which jOOQ applies and reports as the view's own keys; synthetic foreign keys, which Junction applies
        // below). A view without them has no relations and so gets no graph class.
        for (TableDefinition table : database.getTables()) {
            if (!table.isTableValuedFunction()) {
                tables.put(tableName(table), table);
            }
        }
        for (TableDefinition table : tables.values()) {
            for (ForeignKeyDefinition fk : table.getForeignKeys()) {
                TableDefinition referenced = fk.getReferencedTable();
                if (referenced == null || !tables.containsKey(tableName(referenced))
                        || fk.getKeyColumns().size() != fk.getReferencedColumns().size()) {
                    continue;
                }
                keys.put(new ForeignKey(fk.getInputName(), tableName(table), names(fk.getKeyColumns()),
                        tableName(referenced), names(fk.getReferencedColumns())), fk);
            }
        }
        for (SyntheticForeignKeys.Resolved fk : SyntheticForeignKeys.resolve(database, tables.values())) {
            TableDefinition referenced = fk.referencedKey().getTable();
            ForeignKey key = new ForeignKey(fk.name(), tableName(fk.table()), names(fk.columns()),
                    tableName(referenced), names(fk.referencedKey().getKeyColumns()));
            if (keys.keySet().stream().noneMatch(k -> sameColumns(k, key))) {
                synthetic.put(key, fk); // a synthetic key the catalog also declares is not a second relation
            }
        }
        this.graphNames = new GraphNames(strategy, tables, keys, synthetic);
    }

    /** Writes the graph classes and a {@code package-info.java} per graph package; returns the files written. */
    public List<Path> generate() {
        List<ForeignKey> allKeys = new ArrayList<>(keys.keySet());
        allKeys.addAll(synthetic.keySet());
        Map<TableName, List<Named>> relations = new LinkedHashMap<>();
        for (TableName table : tables.keySet()) {
            List<Named> named = RelationNaming.relations(table, allKeys);
            if (!named.isEmpty()) {
                relations.put(table, named);
            }
        }
        Map<String, Set<String>> classesByPackage = new TreeMap<>();
        relations.keySet().forEach(t -> classesByPackage.computeIfAbsent(graphPackage(t), p -> new HashSet<>())
                .add(graphClass(t)));
        List<Path> written = new ArrayList<>();
        for (Map.Entry<TableName, List<Named>> e : relations.entrySet()) {
            String pkg = graphPackage(e.getKey());
            String source = new GraphSource(graphNames, e.getKey(), e.getValue(), pkg, classesByPackage.get(pkg)).render();
            written.add(write(pkg, graphClass(e.getKey()), source));
        }
        for (String pkg : classesByPackage.keySet()) {
            written.add(write(pkg, "package-info", packageInfo(pkg)));
        }
        return written;
    }

    private Path write(String pkg, String simpleName, String source) {
        Path file = targetDirectory.resolve(pkg.replace('.', '/')).resolve(simpleName + ".java");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, source, encoding);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String packageInfo(String pkg) {
        return """
                /**
                 * Graph fetchers generated by Junction from the foreign keys of the schema: one {@code <Table>Graph}
                 * class per table with relations. Do not edit; regenerate instead.
                 */
                @NullMarked
                package %s;

                import org.jspecify.annotations.NullMarked;
                """.formatted(pkg);
    }

    private String graphPackage(TableName table) {
        return graphNames.graphPackage(table);
    }

    private String graphClass(TableName table) {
        return graphNames.graphClass(table);
    }

    private static boolean sameColumns(ForeignKey a, ForeignKey b) {
        return a.table().equals(b.table()) && a.columns().equals(b.columns())
                && a.referencedTable().equals(b.referencedTable()) && a.referencedColumns().equals(b.referencedColumns());
    }

    private static TableName tableName(TableDefinition table) {
        return new TableName(table.getSchema().getInputName(), table.getInputName());
    }

    private static List<String> names(List<ColumnDefinition> columns) {
        return columns.stream().map(ColumnDefinition::getInputName).toList();
    }
}
