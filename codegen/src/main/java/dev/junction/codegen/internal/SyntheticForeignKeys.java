package dev.junction.codegen.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jooq.meta.ColumnDefinition;
import org.jooq.meta.Database;
import org.jooq.meta.Definition;
import org.jooq.meta.Patterns;
import org.jooq.meta.TableDefinition;
import org.jooq.meta.UniqueKeyDefinition;
import org.jooq.meta.jaxb.SyntheticForeignKeyType;
import org.jspecify.annotations.Nullable;

/**
 * Resolves jOOQ's synthetic foreign keys ({@code <database><syntheticObjects><foreignKeys>}) against the tables of a
 * run. jOOQ's open-source generator reads that configuration but applies it only in its commercial editions (it logs
 * them as unused), so Junction resolves them itself, with jOOQ's rules: {@code tables} and {@code referencedTable} are
 * regular expressions over the (qualified) table names with the run's regex flags, {@code fields} name the referencing
 * columns, and the referenced key is {@code referencedKey}, else the unique key whose columns are
 * {@code referencedFields}, else the referenced table's primary key (for a view: its synthetic primary key).
 */
final class SyntheticForeignKeys {

    /**
     * One resolved synthetic foreign key.
     *
     * @param name the key's name: the configured one, else {@code SYNTHETIC_FK_<table>__<referenced table>}
     * @param table the referencing table
     * @param columns the referencing columns, in the order of {@code referencedKey}'s columns
     * @param referencedKey the referenced primary or unique key
     */
    record Resolved(String name, TableDefinition table, List<ColumnDefinition> columns,
            UniqueKeyDefinition referencedKey) {
    }

    private SyntheticForeignKeys() {
    }

    /**
     * The synthetic foreign keys of {@code database}'s configuration resolved against {@code tables}; each one used
     * is marked used, so jOOQ does not report it as unused. A key whose {@code tables} match none of them is left
     * unused (jOOQ then warns about it, as it does for every synthetic object that matched nothing).
     *
     * @throws IllegalArgumentException when a key names a column its table lacks, its referenced table matches no
     *     table or several, or the referenced table has no key with the referenced columns; the message names the key
     *     and what to change
     */
    static List<Resolved> resolve(Database database, Collection<TableDefinition> tables) {
        Patterns patterns = new Patterns();
        patterns.setRegexFlags(database.getRegexFlags());
        List<Resolved> resolved = new ArrayList<>();
        for (SyntheticForeignKeyType key : database.getConfiguredSyntheticForeignKeys()) {
            List<TableDefinition> referencing = matching(patterns, key.getTables(), tables);
            if (referencing.isEmpty()) {
                continue;
            }
            String label = key.getName() == null ? "(unnamed, tables '" + key.getTables() + "')" : key.getName();
            List<TableDefinition> referenced = matching(patterns, key.getReferencedTable(), tables);
            if (referenced.size() != 1) {
                throw new IllegalArgumentException("synthetic foreign key " + label + ": referencedTable '"
                        + key.getReferencedTable() + "' must match exactly one table, but matched "
                        + names(referenced) + "; write the table's name, qualified with its schema if needed");
            }
            TableDefinition target = referenced.get(0);
            UniqueKeyDefinition targetKey = referencedKey(key, label, target);
            List<String> targetColumns = targetKey.getKeyColumns().stream().map(ColumnDefinition::getInputName)
                    .toList();
            for (TableDefinition table : referencing) {
                List<ColumnDefinition> columns = columns(key, label, table, targetKey, targetColumns);
                String name = key.getName() != null ? key.getName()
                        : "SYNTHETIC_FK_" + table.getInputName() + "__" + target.getInputName();
                resolved.add(new Resolved(name, table, columns, targetKey));
            }
            database.markUsed(key);
        }
        return resolved;
    }

    private static UniqueKeyDefinition referencedKey(SyntheticForeignKeyType key, String label,
            TableDefinition target) {
        if (key.getReferencedKey() != null) {
            for (UniqueKeyDefinition candidate : target.getKeys()) {
                if (candidate.getInputName().equalsIgnoreCase(key.getReferencedKey())
                        || candidate.getOutputName().equalsIgnoreCase(key.getReferencedKey())) {
                    return candidate;
                }
            }
            throw new IllegalArgumentException("synthetic foreign key " + label + ": referencedKey '"
                    + key.getReferencedKey() + "' is not a key of " + target.getQualifiedInputName() + " (keys: "
                    + names(target.getKeys()) + ")");
        }
        if (key.getReferencedFields().isEmpty()) {
            if (target.getPrimaryKey() == null) {
                throw new IllegalArgumentException("synthetic foreign key " + label + ": "
                        + target.getQualifiedInputName() + " has no primary key; name the referenced columns"
                        + " (referencedFields) of one of its unique keys, or give it a synthetic primary key");
            }
            return target.getPrimaryKey();
        }
        Set<String> wanted = lowerCase(key.getReferencedFields());
        for (UniqueKeyDefinition candidate : target.getKeys()) {
            if (lowerCase(candidate.getKeyColumns().stream().map(ColumnDefinition::getInputName).toList())
                    .equals(wanted) && candidate.getKeyColumns().size() == key.getReferencedFields().size()) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("synthetic foreign key " + label + ": referencedFields "
                + key.getReferencedFields() + " are not the columns of a primary or unique key of "
                + target.getQualifiedInputName() + " (keys: " + names(target.getKeys()) + "); a view needs a"
                + " synthetic primary key (syntheticObjects/primaryKeys) first");
    }

    /** The referencing columns of {@code table}, reordered to follow the referenced key's columns. */
    private static List<ColumnDefinition> columns(SyntheticForeignKeyType key, String label, TableDefinition table,
            UniqueKeyDefinition targetKey, List<String> targetColumns) {
        List<String> fields = key.getFields();
        if (fields.size() != targetColumns.size()) {
            throw new IllegalArgumentException("synthetic foreign key " + label + " on " + table.getQualifiedInputName()
                    + " has " + fields.size() + " fields " + fields + ", but the referenced key "
                    + targetKey.getInputName() + " has " + targetColumns.size() + " " + targetColumns);
        }
        List<String> referencedFields = key.getReferencedFields().isEmpty() ? targetColumns
                : key.getReferencedFields();
        List<ColumnDefinition> columns = new ArrayList<>(fields.size());
        for (String targetColumn : targetColumns) {
            int i = indexIgnoringCase(referencedFields, targetColumn);
            ColumnDefinition column = table.getColumn(fields.get(i), true);
            if (column == null) {
                throw new IllegalArgumentException("synthetic foreign key " + label + ": "
                        + table.getQualifiedInputName() + " has no column '" + fields.get(i) + "'");
            }
            columns.add(column);
        }
        return columns;
    }

    private static List<TableDefinition> matching(Patterns patterns, @Nullable String regex,
            Collection<TableDefinition> tables) {
        List<TableDefinition> out = new ArrayList<>();
        if (regex == null || regex.isBlank()) {
            return out;
        }
        Pattern pattern = patterns.pattern(regex);
        for (TableDefinition table : tables) {
            if (pattern.matcher(table.getInputName()).matches()
                    || pattern.matcher(table.getQualifiedInputName()).matches()) {
                out.add(table);
            }
        }
        return out;
    }

    private static int indexIgnoringCase(List<String> names, String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new IllegalStateException(name + " not in " + names); // the key was chosen by these names
    }

    private static Set<String> lowerCase(List<String> names) {
        Set<String> out = new HashSet<>();
        names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
        return out;
    }

    private static List<String> names(List<? extends Definition> definitions) {
        return definitions.stream().map(Definition::getQualifiedInputName).toList();
    }
}
