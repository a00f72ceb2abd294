package dev.junction.samples.service;

import dev.junction.testkit.EmbeddedPostgresCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The service's schema and a deterministic data set: {@code users} users (ids 1..users) with e-mail
 * {@code user<id>@example.org}, {@code groups} groups (ids 1..groups), each user a member of up to three groups.
 * Names are one of 40 first names and 50 last names, so a two-letter prefix finds hundreds of users.
 */
public final class SampleData {
    /** The Flyway location of the service's migrations. */
    public static final String MIGRATIONS = "classpath:db/service";

    /** The first names the data set uses, for search prefixes. */
    public static final String[] FIRST_NAMES = {"Ada", "Alan", "Anna", "Ben", "Bruno", "Carla", "Chen", "Dana",
        "David", "Elena", "Emil", "Eva", "Femi", "Greta", "Hana", "Ivan", "Jana", "Jonas", "Karl", "Kim", "Lara",
        "Leo", "Lina", "Marta", "Max", "Mia", "Nina", "Noah", "Olga", "Omar", "Paul", "Rosa", "Sara", "Sven", "Tara",
        "Tom", "Ula", "Vera", "Yusuf", "Zoe"};
    private static final String[] LAST_NAMES = {"Adler", "Bauer", "Berg", "Costa", "Dahl", "Dubois", "Eriksson",
        "Fischer", "Garcia", "Hansen", "Horvat", "Jansen", "Keller", "Kowalski", "Lang", "Larsen", "Martin", "Meyer",
        "Moreau", "Novak", "Olsen", "Peters", "Quint", "Rossi", "Russo", "Schmidt", "Schulz", "Silva", "Smith",
        "Sousa", "Svensson", "Thomas", "Urban", "Vogel", "Wagner", "Walker", "Weber", "Wolf", "Young", "Zimmer",
        "Baker", "Clark", "Evans", "Ford", "Gray", "Hill", "King", "Lewis", "Moore", "Nash"};

    private SampleData() {
    }

    /**
     * Applies the migrations and seeds the data set on {@code cluster}'s primary, as the superuser of the testkit;
     * the caller waits for replication when its replicas must have the data.
     */
    public static void migrateAndSeed(EmbeddedPostgresCluster cluster, int users, int groups) {
        PGSimpleDataSource primary = new PGSimpleDataSource();
        primary.setUrl(cluster.primary().jdbcUrl());
        primary.setUser(cluster.user());
        primary.setPassword(cluster.password());
        migrate(primary);
        seed(primary, users, groups);
    }

    /** Applies the service's migrations to the database behind {@code primary}. */
    public static void migrate(DataSource primary) {
        Flyway.configure().dataSource(primary).locations(MIGRATIONS).load().migrate();
    }

    /** Inserts the data set into an empty schema, then analyzes the tables. */
    public static void seed(DataSource primary, int users, int groups) {
        String countries = "array['DE','FR','NL','PL','SE','ES','IT','GB']";
        String languages = "array['de','fr','nl','pl','sv','es','it','en']";
        String cities = "array['Berlin','Paris','Amsterdam','Warsaw','Stockholm','Madrid','Rome','London']";
        try (Connection c = primary.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("insert into groups (id, name, city, country_code,"
                    + " description) select g, 'Group ' || g, (" + cities + ")[1 + g % 8], (" + countries
                    + ")[1 + g % 8], 'People who meet in ' || (" + cities + ")[1 + g % 8]"
                    + " from generate_series(1, ?) g")) {
                s.setInt(1, groups);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("insert into users (id, email, display_name, country_code,"
                    + " language_code, city) select u, 'user' || u || '@example.org', (?::text[])[1 + u % ?] || ' '"
                    + " || (?::text[])[1 + (u / ?) % ?], (" + countries + ")[1 + u % 8], (" + languages
                    + ")[1 + u % 8], (" + cities + ")[1 + u % 8] from generate_series(1, ?) u")) {
                s.setArray(1, c.createArrayOf("text", FIRST_NAMES));
                s.setInt(2, FIRST_NAMES.length);
                s.setArray(3, c.createArrayOf("text", LAST_NAMES));
                s.setInt(4, FIRST_NAMES.length);
                s.setInt(5, LAST_NAMES.length);
                s.setInt(6, users);
                s.executeUpdate();
            }
            // Up to three groups per user, spread by multiplicative hashing; roles and statuses by id pattern.
            try (PreparedStatement s = c.prepareStatement("insert into membership (group_id, user_id, role_code,"
                    + " status_code, joined_at) select 1 + ((u * 7919 + j * 104729) % ?), u,"
                    + " case when u % 97 = 0 then 'owner' when u % 11 = 0 then 'admin' when u % 7 = 0 then 'guest'"
                    + " else 'member' end,"
                    + " case when u % 13 = 0 then 'invited' when u % 29 = 0 then 'suspended' else 'active' end,"
                    + " timestamptz '2024-01-01 00:00:00+00' + (u * 3 + j) * interval '1 minute'"
                    + " from generate_series(1, ?) u, generate_series(0, 2) j on conflict do nothing")) {
                s.setInt(1, groups);
                s.setInt(2, users);
                s.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.execute("select setval(pg_get_serial_sequence('users', 'id'), (select max(id) from users))");
                s.execute("select setval(pg_get_serial_sequence('groups', 'id'), (select max(id) from groups))");
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("analyze users, groups, membership, country, language, role, membership_status");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("seeding the sample data failed: " + e.getMessage(), e);
        }
    }
}
