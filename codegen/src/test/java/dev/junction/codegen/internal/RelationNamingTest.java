package dev.junction.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.codegen.internal.RelationNaming.ForeignKey;
import dev.junction.codegen.internal.RelationNaming.TableName;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 6: relation names derived from foreign keys. */
class RelationNamingTest {
    private static final TableName USERS = new TableName("public", "users");
    private static final TableName TAILOR = new TableName("public", "tailor");
    private static final TableName SAMPLE_WORK = new TableName("public", "sample_work");
    private static final TableName DOCUMENT = new TableName("public", "document");
    private static final TableName EMPLOYEE = new TableName("public", "employee");
    private static final TableName ORDER = new TableName("public", "order");
    private static final TableName ORDER_LINE = new TableName("public", "order_line");
    private static final TableName SHIPMENT = new TableName("public", "shipment_item");

    private static final List<ForeignKey> KEYS = List.of(
            fk("tailor_user_id_fkey", TAILOR, List.of("user_id"), USERS),
            fk("sample_work_tailor_id_fkey", SAMPLE_WORK, List.of("tailor_id"), TAILOR),
            fk("document_created_by_fkey", DOCUMENT, List.of("created_by"), USERS),
            fk("document_updated_by_fkey", DOCUMENT, List.of("updated_by"), USERS),
            fk("employee_manager_id_fkey", EMPLOYEE, List.of("manager_id"), EMPLOYEE),
            fk("order_user_fkey", ORDER, List.of("user"), USERS),
            fk("order_line_order_id_fkey", ORDER_LINE, List.of("order_id"), ORDER),
            fk("shipment_item_fkey", SHIPMENT, List.of("order_id", "line_no"), ORDER_LINE));

    @Test
    void aSingleIdColumnNamesTheToOneAndTheChildTableNamesTheToMany() {
        assertThat(names(TAILOR)).containsExactly("user:to-one:USER", "sampleWorks:to-many:SAMPLE_WORKS");
    }

    @Test
    void twoKeysToTheSameTableAreNamedByTheirColumns() {
        assertThat(names(DOCUMENT)).containsExactly("createdByUser:to-one:CREATED_BY_USER",
                "updatedByUser:to-one:UPDATED_BY_USER");
        assertThat(names(USERS)).containsExactly("documentsByCreatedBy:to-many:DOCUMENTS_BY_CREATED_BY",
                "documentsByUpdatedBy:to-many:DOCUMENTS_BY_UPDATED_BY", "orders:to-many:ORDERS",
                "tailors:to-many:TAILORS");
    }

    @Test
    void aSelfReferenceGetsAParentAndAQualifiedChildName() {
        assertThat(names(EMPLOYEE)).containsExactly("manager:to-one:MANAGER",
                "employeesByManager:to-many:EMPLOYEES_BY_MANAGER");
    }

    @Test
    void compositeKeysAndReservedWordsGetPlainNames() {
        assertThat(names(ORDER)).containsExactly("user:to-one:USER", "orderLines:to-many:ORDER_LINES");
        assertThat(names(SHIPMENT)).containsExactly("orderLine:to-one:ORDER_LINE");
        assertThat(RelationNaming.rowName(ORDER)).isEqualTo("order");
        assertThat(RelationNaming.rowName(USERS)).isEqualTo("user");
    }

    @Test
    void javaKeywordsAndClashesWithTheRowAreEscaped() {
        TableName course = new TableName("public", "course");
        TableName klass = new TableName("public", "class");
        List<ForeignKey> keys = List.of(
                fk("course_class_id_fkey", course, List.of("class_id"), klass),
                fk("course_course_id_fkey", course, List.of("course_id"), course));
        assertThat(names(course, keys)).containsExactly("class_:to-one:CLASS", "course2:to-one:COURSE2",
                "coursesByCourse:to-many:COURSES_BY_COURSE");
        assertThat(names(klass, keys)).containsExactly("courses:to-many:COURSES");
    }

    @Test
    void pluralsAndSingularsFollowEnglishEndings() {
        assertThat(JavaNames.plural("category")).isEqualTo("categories");
        assertThat(JavaNames.plural("box")).isEqualTo("boxes");
        assertThat(JavaNames.plural("users")).isEqualTo("users");
        assertThat(JavaNames.singular("categories")).isEqualTo("category");
        assertThat(JavaNames.singular("addresses")).isEqualTo("address");
        assertThat(JavaNames.singular("status")).isEqualTo("status");
        assertThat(JavaNames.lowerCamel(JavaNames.words("Sample Work-Item"))).isEqualTo("sampleWorkItem");
        assertThat(JavaNames.lowerCamel(JavaNames.words("2fa"))).isEqualTo("_2fa");
    }

    @Test
    void sqlNamesWithJavadocSyntaxAreEscapedInComments() {
        assertThat(GraphSource.code("tailor.user_id")).isEqualTo("{@code tailor.user_id}");
        assertThat(GraphSource.code("we*/ird{@x}")).isEqualTo("<code>we&#42;&#47;ird&#123;&#64;x&#125;</code>");
    }

    private static List<String> names(TableName table) {
        return names(table, KEYS);
    }

    private static List<String> names(TableName table, List<ForeignKey> keys) {
        return RelationNaming.relations(table, keys).stream()
                .map(n -> n.name() + ":" + (n.toOne() ? "to-one" : "to-many") + ":" + n.constant()).toList();
    }

    private static ForeignKey fk(String name, TableName table, List<String> columns, TableName referenced) {
        return new ForeignKey(name, table, columns, referenced, columns.size() == 1 ? List.of("id")
                : columns);
    }
}
