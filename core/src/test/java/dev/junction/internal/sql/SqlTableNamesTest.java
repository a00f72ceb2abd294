package dev.junction.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlTableNamesTest {

    private static List<String> references(String sql) {
        List<String> names = new ArrayList<>();
        SqlTableNames.tableReferences(sql, (qualifier, name) -> {
            names.add(qualifier == null ? name : qualifier + "." + name);
            return false;
        });
        return names;
    }

    private static List<String> identifiers(String sql) {
        List<String> names = new ArrayList<>();
        SqlTableNames.identifiers(sql, (qualifier, name) -> {
            names.add(qualifier == null ? name : qualifier + "." + name);
            return false;
        });
        return names;
    }

    @Test
    void findsTablesAfterFromJoinAndCommasOfTheFromList() {
        assertThat(references("select r.* from role r join users u on u.role = r.code, country c where r.x in"
                + " (select 1 from dual) order by 1"))
                .containsExactly("role", "users", "country", "dual");
    }

    @Test
    void unquotesJooqsRenderedQualifiedNames() {
        assertThat(references("select \"public\".\"Role\".\"code\" from \"public\".\"Role\" where \"code\" = ?"))
                .containsExactly("public.Role");
    }

    @Test
    void findsTheTargetsOfWrites() {
        assertThat(references("insert into role (code) values (?)")).containsExactly("role");
        assertThat(references("update only public.role set label = ? from other where role.x = other.x"))
                .containsExactly("public.role", "other");
        assertThat(references("delete from role using a, b where true")).containsExactly("role", "a", "b");
        assertThat(references("truncate table only role, country")).containsExactly("role");
        assertThat(references("merge into role using src on true when matched then delete"))
                .containsExactly("role", "src");
    }

    @Test
    void ignoresStringsCommentsColumnListsAndLockingClauses() {
        assertThat(references("select 'from role' as x /* from role */ from t -- from role\n for update of t"))
                .containsExactly("t");
        assertThat(references("select role, f(a, b) from t")).containsExactly("t");
        assertThat(references("insert into t values (1) on conflict (id) do update set x = 1"))
                .containsExactly("t");
    }

    @Test
    void identifiersListEveryNameConservatively() {
        assertThat(identifiers("update users set role = 'x' where \"public\".\"role\".id = $1"))
                .containsExactly("update", "users", "set", "role", "where", "public", "public.role", "role.id");
    }
}
