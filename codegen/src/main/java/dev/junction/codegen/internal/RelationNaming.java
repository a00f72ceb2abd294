package dev.junction.codegen.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Names the relations of every table from its foreign keys, without a database (pure, unit-tested).
 *
 * <p>Rules, for a table {@code T}:
 * <ul>
 *   <li>the row itself: {@code T} in singular ({@code users} -> {@code user});
 *   <li>to-one (FK from {@code T}): a single column {@code x_id} gives {@code x} ({@code user_id} -> {@code user},
 *       {@code manager_id} -> {@code manager}); otherwise the referenced table in singular when it is the only FK from
 *       {@code T} to that table, else the columns plus the referenced table ({@code created_by} -> users gives
 *       {@code createdByUser});
 *   <li>to-many (FK to {@code T} from {@code C}): {@code C} in plural ({@code sampleWorks}) when it is the only FK from
 *       {@code C} to {@code T} and not a self-reference, else {@code C} in plural + {@code By} + the FK's base name
 *       ({@code employeesByManager}, {@code documentsByCreatedBy});
 *   <li>clashes with the row's name, {@code fetched} or another relation get a numeric suffix; Java keywords get
 *       {@code _}.
 * </ul>
 */
final class RelationNaming {

    /** A foreign key: the referencing table and columns, and the referenced table and columns. */
    record ForeignKey(String constraint, TableName table, List<String> columns, TableName referencedTable,
            List<String> referencedColumns) {
        ForeignKey {
            columns = List.copyOf(columns);
            referencedColumns = List.copyOf(referencedColumns);
        }

        boolean selfReference() {
            return table.equals(referencedTable);
        }
    }

    /** A table: {@code schema} and {@code name} as in the database. */
    record TableName(String schema, String name) {
        @Override
        public String toString() {
            return schema + "." + name;
        }
    }

    /** One named relation of a table. */
    record Named(ForeignKey key, boolean toOne, String name, String constant) {
    }

    private RelationNaming() {
    }

    /** The Java name of a table's own row in its graph node: the table name in singular, lower camel case. */
    static String rowName(TableName table) {
        return JavaNames.lowerCamel(JavaNames.singular(JavaNames.words(table.name())));
    }

    /**
     * The relations of {@code table}: to-ones first, then to-manys, each sorted by constraint name, so names are
     * stable across runs.
     */
    static List<Named> relations(TableName table, List<ForeignKey> allKeys) {
        Comparator<ForeignKey> order = Comparator.comparing((ForeignKey k) -> k.table().toString())
                .thenComparing(ForeignKey::constraint);
        List<ForeignKey> outgoing = allKeys.stream().filter(k -> k.table().equals(table)).sorted(order).toList();
        List<ForeignKey> incoming = allKeys.stream().filter(k -> k.referencedTable().equals(table)).sorted(order)
                .toList();
        Set<String> taken = new HashSet<>(Set.of(rowName(table), "fetched"));
        List<Named> result = new ArrayList<>();
        for (ForeignKey key : outgoing) {
            long sameTarget = outgoing.stream().filter(k -> k.referencedTable().equals(key.referencedTable())).count();
            result.add(unique(key, true, toOneWords(key, sameTarget == 1), taken));
        }
        for (ForeignKey key : incoming) {
            long sameSource = incoming.stream().filter(k -> k.table().equals(key.table())).count();
            result.add(unique(key, false, toManyWords(key, sameSource == 1 && !key.selfReference()), taken));
        }
        return List.copyOf(result);
    }

    private static List<String> toOneWords(ForeignKey key, boolean onlyKeyToTarget) {
        List<String> idBase = idBase(key);
        if (idBase != null) {
            return idBase;
        }
        List<String> target = JavaNames.singular(JavaNames.words(key.referencedTable().name()));
        if (onlyKeyToTarget) {
            return target;
        }
        return JavaNames.concat(columnWords(key), target);
    }

    private static List<String> toManyWords(ForeignKey key, boolean onlyKeyFromSource) {
        List<String> children = JavaNames.plural(JavaNames.words(key.table().name()));
        if (onlyKeyFromSource) {
            return children;
        }
        List<String> base = idBase(key);
        List<String> by = new ArrayList<>(children);
        by.add("by");
        by.addAll(base != null ? base : columnWords(key));
        return by;
    }

    /** {@code user_id} -> {@code [user]}; null when the key is not one column ending in {@code id}. */
    private static @Nullable List<String> idBase(ForeignKey key) {
        if (key.columns().size() != 1) {
            return null;
        }
        List<String> words = JavaNames.words(key.columns().get(0));
        if (words.size() > 1 && words.get(words.size() - 1).equals("id")) {
            return words.subList(0, words.size() - 1);
        }
        return null;
    }

    private static List<String> columnWords(ForeignKey key) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < key.columns().size(); i++) {
            if (i > 0) {
                words.add("and");
            }
            words.addAll(JavaNames.words(key.columns().get(i)));
        }
        return words;
    }

    private static Named unique(ForeignKey key, boolean toOne, List<String> words, Set<String> taken) {
        String base = JavaNames.lowerCamel(words);
        String name = base;
        for (int i = 2; taken.contains(name); i++) {
            name = base + i;
        }
        taken.add(name);
        return new Named(key, toOne, name, JavaNames.constant(name));
    }
}
