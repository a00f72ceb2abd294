package dev.junction.codegen.internal;

import dev.junction.codegen.internal.RelationNaming.ForeignKey;
import dev.junction.codegen.internal.RelationNaming.Named;
import dev.junction.codegen.internal.RelationNaming.TableName;
import dev.junction.graph.GraphQuery;
import dev.junction.graph.GraphRow;
import dev.junction.graph.Relation;
import dev.junction.graph.Strategy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jooq.codegen.GeneratorStrategy;
import org.jooq.codegen.GeneratorStrategy.Mode;
import org.jooq.meta.ForeignKeyDefinition;
import org.jooq.meta.TableDefinition;
import org.jspecify.annotations.Nullable;

/**
 * Renders the source of one graph class: its Javadoc, one {@code Relation} constant per relation, the row type with
 * its accessors, and the query builder. Names come from {@link GraphNames}, so the output refers to jOOQ's generated
 * tables and records exactly as jOOQ's naming strategy called them.
 */
final class GraphSource {
    private final GraphNames names;
    private final GeneratorStrategy strategy;
    private final TableName table;
    private final List<Named> relations;
    private final String pkg;
    private final String className;
    private final Imports imports;
    private final StringBuilder out = new StringBuilder();
    private final TableDefinition def;
    private final String record;
    private final String tableRef;
    private final String relation;
    private final String graphQuery;
    private final String graphRow;
    private final String strategyType;
    private final String list;
    private final String set;
    private final String objects;
    private final String condition;
    private final String dsl;
    private final String orderField;
    private final String tableField;
    private final String nullable;
    private final String rowName;
    private final String sqlTable;

    GraphSource(GraphNames names, TableName table, List<Named> relations, String pkg, Set<String> packageClasses) {
        this.names = names;
        this.strategy = names.strategy();
        this.table = table;
        this.relations = relations;
        this.pkg = pkg;
        this.className = names.graphClass(table);
        Set<String> local = new HashSet<>(packageClasses);
        local.add("Node");
        local.add("Query");
        this.imports = new Imports(pkg, local);
        this.def = names.definition(table);
        this.record = imports.name(strategy.getFullJavaClassName(def, Mode.RECORD));
        this.tableRef = imports.name(strategy.getFullJavaClassName(def)) + "." + strategy.getJavaIdentifier(def);
        this.relation = imports.name(Relation.class.getName());
        this.graphQuery = imports.name(GraphQuery.class.getName());
        this.graphRow = imports.name(GraphRow.class.getName());
        this.strategyType = imports.name(Strategy.class.getName());
        this.list = imports.name("java.util.List");
        this.set = imports.name("java.util.Set");
        this.objects = imports.name("java.util.Objects");
        this.condition = imports.name("org.jooq.Condition");
        this.dsl = imports.name("org.jooq.DSLContext");
        this.orderField = imports.name("org.jooq.OrderField");
        this.tableField = imports.name("org.jooq.TableField");
        this.nullable = relations.stream().anyMatch(Named::toOne)
                ? imports.name("org.jspecify.annotations.Nullable") : "Nullable";
        this.rowName = RelationNaming.rowName(table);
        this.sqlTable = table.toString();
    }

    String render() {
        classHeader();
        nodeType();
        queryType();
        line("}");
        return "package " + pkg + ";\n\n" + imports.block() + "\n" + out;
    }

    /** The class Javadoc, the class line, a constant per relation and the {@code query()}/{@code node()} factories. */
    private void classHeader() {
        line("/**");
        line(" * Graph fetches rooted at table " + code(sqlTable) + ": each " + code(table.name())
                + " row with the related rows a query asks");
        line(" * for, read by a {@link " + strategyType + "}: by default one chosen per fetch from the graph's shape");
        line(" * and size (see {@link " + strategyType + "#defaultStrategy()}).");
        line(" *");
        line(" * <p>Relations:");
        line(" * <ul>");
        for (Named r : relations) {
            line(" *   <li>{@link #" + r.constant() + "}: " + describe(r) + "</li>");
        }
        line(" * </ul>");
        line(" *");
        line(" * <pre>{@code");
        line(" * List<" + className + ".Node> nodes = " + className + ".query()");
        for (Named r : relations.subList(0, Math.min(2, relations.size()))) {
            line(" *         .with" + JavaNames.capitalize(r.name()) + "()");
        }
        line(" *         .limit(20)");
        line(" *         .fetch(ctx);");
        line(" * }</pre>");
        line(" *");
        line(" * <p>Generated by Junction codegen from the database schema; do not edit.");
        line(" */");
        line("public final class " + className + " {");
        for (Named r : relations) {
            String target = imports.name(strategy.getFullJavaClassName(names.definition(target(r)), Mode.RECORD));
            line("");
            line("    /**");
            doc("     * ", capitalizeFirst(describe(r)) + ".");
            line("     */");
            line("    public static final " + relation + "<" + record + ", " + target + "> " + r.constant() + " =");
            line("            " + relation + ".to" + (r.toOne() ? "One" : "Many") + "(\"" + r.name() + "\", "
                    + keyReference(r) + ");");
        }
        line("");
        line("    private " + className + "() {");
        line("    }");
        line("");
        line("    /**");
        line("     * A query for all " + code(table.name()) + " rows, ordered by primary key, without relations;");
        line("     * add relations with the {@code with...} methods and narrow it with {@link Query#where}.");
        line("     */");
        line("    public static Query query() {");
        line("        return new Query(" + graphQuery + ".of(" + tableRef + "));");
        line("    }");
        line("");
        line("    /**");
        line("     * Maps one fetched row and its fetched relations to a {@link Node}; used by {@link Query#fetch}");
        line("     * and by the graphs that nest this one.");
        line("     */");
        line("    public static Node node(" + graphRow + "<" + record + "> row) {");
        line("        return new Node(");
        line("                row.record(),");
        for (Named r : relations) {
            line("                row." + (r.toOne() ? "one(" : "many(") + r.constant() + ", " + graphOf(target(r))
                    + "::node),");
        }
        line("                row.fetched());");
        line("    }");
    }

    /** The {@code Node} record: the row and each fetched relation. */
    private void nodeType() {
        line("");
        line("    /**");
        line("     * A " + code(table.name()) + " row with the relations its query fetched.");
        line("     *");
        doc("     * ", "@param " + rowName + " the row");
        for (Named r : relations) {
            doc("     * ", "@param " + r.name() + " " + (r.toOne()
                    ? "the " + code(target(r).name()) + " row referenced by " + columns(r.key().table(),
                            r.key().columns()) + "; null when not fetched or when the foreign key is null"
                    : "the " + code(target(r).name()) + " rows whose " + columns(r.key().table(),
                            r.key().columns()) + " references this row; empty when not fetched"));
        }
        doc("     * ", "@param fetched the relations the query fetched ({@code fetched().contains(" + className
                + "." + relations.get(0).constant() + ")}), which tells \"not fetched\" from \"none\"");
        line("     */");
        List<String> components = new ArrayList<>();
        components.add(record + " " + rowName);
        for (Named r : relations) {
            String node = nodeType(target(r), r.toOne() ? nullable : null);
            components.add(r.toOne() ? node + " " + r.name() : list + "<" + node + "> " + r.name());
        }
        components.add(set + "<" + relation + "<" + record + ", ?>> fetched");
        line("    public record Node(");
        for (int i = 0; i < components.size(); i++) {
            line("            " + components.get(i) + (i + 1 < components.size() ? "," : ") {"));
        }
        line("        /** Checks for nulls and copies the collections. */");
        line("        public Node {");
        line("            " + objects + ".requireNonNull(" + rowName + ", \"" + rowName + "\");");
        for (Named r : relations) {
            if (!r.toOne()) {
                line("            " + r.name() + " = " + list + ".copyOf(" + r.name() + ");");
            }
        }
        line("            fetched = " + set + ".copyOf(fetched);");
        line("        }");
        line("    }");
    }

    /** The immutable {@code Query} builder. */
    private void queryType() {
        line("");
        line("    /**");
        line("     * A graph query rooted at " + code(table.name()) + ". Immutable: every method returns a new query,");
        line("     * so a query can be kept in a constant and refined per call. Thread-safe.");
        line("     */");
        line("    public static final class Query {");
        line("        private final " + graphQuery + "<" + record + "> graph;");
        line("");
        line("        private Query(" + graphQuery + "<" + record + "> graph) {");
        line("            this.graph = graph;");
        line("        }");
        for (Named r : relations) {
            String with = "with" + JavaNames.capitalize(r.name());
            String targetGraph = graphOf(target(r));
            line("");
            line("        /**");
            doc("         * ", "Also fetches {@link Node#" + r.name() + "()}: " + describe(r) + ".");
            line("         */");
            line("        public Query " + with + "() {");
            line("            return new Query(graph.with(" + r.constant() + "));");
            line("        }");
            line("");
            line("        /**");
            line("         * Also fetches {@link Node#" + r.name() + "()}, with the relations"
                    + (r.toOne() ? "" : ", filter, order and limit") + " of {@code nested}.");
            if (r.toOne()) {
                line("         *");
                line("         * @throws IllegalArgumentException when {@code nested} sets where, orderBy, limit or");
                line("         *     offset (a to-one relation reads at most one row)");
            } else {
                line("         * Its limit and offset apply per " + code(table.name()) + " row.");
            }
            line("         */");
            line("        public Query " + with + "(" + targetGraph + ".Query nested) {");
            line("            return new Query(graph.with(" + r.constant() + ", nested.graphQuery()));");
            line("        }");
        }
        line("");
        line("        /** Keeps only rows matching {@code condition} (combined with AND with earlier ones). */");
        line("        public Query where(" + condition + " condition) {");
        line("            return new Query(graph.where(condition));");
        line("        }");
        line("");
        line("        /**");
        line("         * Reads only {@code fields} of " + code(table.name()) + " (default: every column): the other columns of");
        line("         * {@link Node#" + rowName + "()} are null, in every strategy. The keys the graph is stitched by are");
        line("         * read as well but stay null unless chosen. Replaces an earlier choice.");
        line("         *");
        line("         * @throws IllegalArgumentException when {@code fields} is empty");
        line("         */");
        line("        @SafeVarargs");
        line("        public final Query select(" + tableField + "<" + record + ", ?>... fields) {");
        // copied element by element: handing the generic varargs array on would be reported by -Xlint:varargs
        String field = imports.name("org.jooq.Field");
        line("            " + list + "<" + field + "<?>> chosen = new " + imports.name("java.util.ArrayList")
                + "<>(fields.length);");
        line("            for (" + tableField + "<" + record + ", ?> field : fields) {");
        line("                chosen.add(field);");
        line("            }");
        line("            return new Query(graph.select(chosen));");
        line("        }");
        line("");
        line("        /** Orders the rows by {@code fields} instead of by primary key. */");
        line("        public Query orderBy(" + orderField + "<?>... fields) {");
        line("            return new Query(graph.orderBy(fields));");
        line("        }");
        line("");
        line("        /**");
        line("         * Reads at most {@code limit} rows.");
        line("         *");
        line("         * @throws IllegalArgumentException when {@code limit < 0}");
        line("         */");
        line("        public Query limit(int limit) {");
        line("            return new Query(graph.limit(limit));");
        line("        }");
        line("");
        line("        /**");
        line("         * Skips the first {@code offset} rows.");
        line("         *");
        line("         * @throws IllegalArgumentException when {@code offset < 0}");
        line("         */");
        line("        public Query offset(int offset) {");
        line("            return new Query(graph.offset(offset));");
        line("        }");
        line("");
        line("        /** Reads the graph with {@code strategy} instead of the default one. */");
        line("        public Query strategy(" + strategyType + " strategy) {");
        line("            return new Query(graph.strategy(strategy));");
        line("        }");
        line("");
        line("        /** Reads the graph with this query's strategy (by default chosen per fetch). */");
        line("        public " + list + "<Node> fetch(" + dsl + " ctx) {");
        line("            return graph.fetch(ctx, " + className + "::node);");
        line("        }");
        line("");
        line("        /** The untyped query this one wraps, for strategies and nesting. */");
        line("        public " + graphQuery + "<" + record + "> graphQuery() {");
        line("            return graph;");
        line("        }");
        line("");
        line("        @Override");
        line("        public String toString() {");
        line("            return \"" + className + ".Query[\" + graph + \"]\";");
        line("        }");
        line("    }");
    }

    private TableName target(Named r) {
        return r.toOne() ? r.key().referencedTable() : r.key().table();
    }

    /** The graph class of {@code t} as written in this file. */
    private String graphOf(TableName t) {
        return imports.name(names.graphPackage(t) + "." + names.graphClass(t));
    }

    /** {@code Node}, {@code UsersGraph.Node} or {@code UsersGraph.@Nullable Node}. */
    private String nodeType(TableName t, @Nullable String nullable) {
        String annotation = nullable == null ? "" : "@" + nullable + " ";
        if (t.equals(table)) {
            return annotation + "Node";
        }
        return graphOf(t) + "." + annotation + "Node";
    }

    private String keyReference(Named r) {
        ForeignKeyDefinition fk = names.foreignKey(r.key());
        String full = strategy.getFullJavaIdentifier(fk);
        int dot = full.lastIndexOf('.');
        return imports.name(full.substring(0, dot)) + full.substring(dot);
    }

    private String describe(Named r) {
        ForeignKey k = r.key();
        String fk = columns(k.table(), k.columns()) + " references " + columns(k.referencedTable(),
                k.referencedColumns());
        return (r.toOne() ? "to-one, " : "to-many, ") + fk;
    }

    private void line(String s) {
        out.append(s).append('\n');
    }

    /** Javadoc text starting with {@code prefix}, wrapped at 116 columns; continuation lines repeat the prefix. */
    private void doc(String prefix, String text) {
        String continuation = prefix;
        StringBuilder current = new StringBuilder(prefix);
        boolean empty = true;
        for (String word : text.split(" ")) {
            if (!empty && current.length() + 1 + word.length() > 116) {
                line(current.toString());
                current = new StringBuilder(continuation);
                empty = true;
            }
            if (!empty) {
                current.append(' ');
            }
            current.append(word);
            empty = false;
        }
        line(current.toString());
    }

    /** {@code tailor.user_id}, or {@code order_line(order_id, line_no)} for composite keys. */
    static String columns(TableName table, List<String> columns) {
        String text = columns.size() == 1 ? table.name() + "." + columns.get(0)
                : table.name() + "(" + String.join(", ", columns) + ")";
        return code(text);
    }

    /** Javadoc for a SQL name: {@code {@code x}}, or escaped HTML when the name holds Javadoc syntax. */
    static String code(String text) {
        if (text.matches("[A-Za-z0-9_ .,()>-]*")) {
            return "{@code " + text + "}";
        }
        StringBuilder s = new StringBuilder("<code>");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '&' -> s.append("&amp;");
                case '@' -> s.append("&#64;");
                case '{' -> s.append("&#123;");
                case '}' -> s.append("&#125;");
                case '*' -> s.append("&#42;");
                case '/' -> s.append("&#47;");
                case '\\' -> s.append("&#92;");
                default -> s.append(c < 0x20 ? ' ' : c);
            }
        }
        return s.append("</code>").toString();
    }

    private static String capitalizeFirst(String s) {
        return JavaNames.capitalize(s);
    }
}
