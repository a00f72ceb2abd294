package dev.junction.samples.boot;

import static dev.junction.samples.service.db.Tables.COUNTRY;
import static dev.junction.samples.service.db.Tables.GROUPS;
import static dev.junction.samples.service.db.Tables.MEMBERSHIP;
import static dev.junction.samples.service.db.Tables.ROLE;
import static dev.junction.samples.service.db.Tables.USERS;

import dev.junction.Database;
import java.util.List;
import java.util.Map;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The directory's read and write endpoints on Spring MVC, written against the starter's {@link Database} and
 * nothing else: reads run on a replica, writes in one short transaction on the primary, and read-your-writes across
 * requests comes from the starter's filter ({@code Junction-Consistency} header), not from this code.
 * <ul>
 *   <li>{@code GET /users/{id}}: the profile, 404 when unknown;</li>
 *   <li>{@code PUT /users/{id}/profile} (form: {@code name}, {@code city}, {@code bio}): 204 with the commit's
 *       token in the header, 404 when unknown;</li>
 *   <li>{@code GET /groups/{id}/members}: the group, its member count and its first 20 members by role rank.</li>
 * </ul>
 */
@RestController
class DirectoryController {
    private static final int PAGE = 20;

    private final Database db;

    DirectoryController(Database db) {
        this.db = db;
    }

    @GetMapping("/users/{id}")
    ResponseEntity<Map<String, Object>> profile(@PathVariable("id") long id) {
        Record r = db.read(ctx -> ctx.select(USERS.ID, USERS.DISPLAY_NAME, USERS.CITY, USERS.BIO, COUNTRY.NAME)
                .from(USERS).join(COUNTRY).on(COUNTRY.CODE.eq(USERS.COUNTRY_CODE))
                .where(USERS.ID.eq(id)).fetchOne());
        if (r == null) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok(Map.of("id", r.get(USERS.ID), "name", r.get(USERS.DISPLAY_NAME),
                "city", String.valueOf(r.get(USERS.CITY)), "bio", String.valueOf(r.get(USERS.BIO)),
                "country", r.get(COUNTRY.NAME)));
    }

    @PutMapping("/users/{id}/profile")
    ResponseEntity<Void> updateProfile(@PathVariable("id") long id, @RequestParam("name") String name,
                                       @RequestParam(name = "city", required = false) String city,
                                       @RequestParam(name = "bio", required = false) String bio) {
        int updated = db.write(tx -> tx.update(USERS).set(USERS.DISPLAY_NAME, name).set(USERS.CITY, city)
                .set(USERS.BIO, bio).set(USERS.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(USERS.ID.eq(id)).execute()).value();
        return updated == 0 ? ResponseEntity.notFound().build() : ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }

    @GetMapping("/groups/{id}/members")
    ResponseEntity<Map<String, Object>> members(@PathVariable("id") long id) {
        Record group = db.read(ctx -> ctx.select(GROUPS.NAME, GROUPS.CITY,
                        DSL.selectCount().from(MEMBERSHIP).where(MEMBERSHIP.GROUP_ID.eq(GROUPS.ID)).asField("count"))
                .from(GROUPS).where(GROUPS.ID.eq(id)).fetchOne());
        if (group == null) {
            return ResponseEntity.notFound().build();
        }
        List<Map<String, Object>> members = db.read(ctx -> ctx.select(USERS.ID, USERS.DISPLAY_NAME, ROLE.LABEL)
                .from(MEMBERSHIP).join(USERS).on(USERS.ID.eq(MEMBERSHIP.USER_ID))
                .join(ROLE).on(ROLE.CODE.eq(MEMBERSHIP.ROLE_CODE))
                .where(MEMBERSHIP.GROUP_ID.eq(id)).orderBy(ROLE.RANK, MEMBERSHIP.JOINED_AT, USERS.ID).limit(PAGE)
                .fetch(m -> Map.<String, Object>of("id", m.get(USERS.ID), "name", m.get(USERS.DISPLAY_NAME),
                        "role", m.get(ROLE.LABEL))));
        return ResponseEntity.ok(Map.of("id", id, "name", group.get(GROUPS.NAME), "city", group.get(GROUPS.CITY),
                "memberCount", group.get("count"), "members", members));
    }
}
