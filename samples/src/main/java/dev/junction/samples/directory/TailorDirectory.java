package dev.junction.samples.directory;

import static dev.junction.samples.db.Tables.SAMPLE_WORK;
import static dev.junction.samples.db.Tables.TAILOR;
import static dev.junction.samples.db.Tables.USERS;

import dev.junction.Database;
import dev.junction.Reported;
import dev.junction.samples.db.graphs.TailorGraph;
import dev.junction.samples.db.tables.records.SampleWorkRecord;
import dev.junction.samples.db.tables.records.TailorRecord;
import dev.junction.samples.db.tables.records.UsersRecord;
import java.util.List;
import java.util.Map;
import org.jooq.Result;

/**
 * Tailors of a city with their user and their sample works: the directory search of the write-ups, once as the
 * graph fetch Junction generates (one statement on a replica) and once as the naive list-then-relations code it
 * replaces. Thread-safe (stateless over a thread-safe {@link Database}).
 */
public final class TailorDirectory {
    private final Database db;

    public TailorDirectory(Database db) {
        this.db = db;
    }

    /** One read unit, one statement: tailors with their user and sample works, nested. */
    public Reported<List<TailorGraph.Node>> tailorsIn(String city, int limit) {
        return db.readReported(ctx -> TailorGraph.query()
                .withUser()
                .withSampleWorks()
                .where(TAILOR.CITY.eq(city))
                .orderBy(TAILOR.ID)
                .limit(limit)
                .fetch(ctx));
    }

    /** The shape the graph fetch replaces: a list query, then one query per relation. */
    public Reported<List<Naive>> tailorsInNaively(String city, int limit) {
        return db.readReported(ctx -> {
            List<TailorRecord> tailors = ctx.selectFrom(TAILOR).where(TAILOR.CITY.eq(city)).orderBy(TAILOR.ID)
                    .limit(limit).fetch();
            List<Long> userIds = tailors.stream().map(TailorRecord::getUserId).toList();
            List<Long> tailorIds = tailors.stream().map(TailorRecord::getId).toList();
            Map<Long, UsersRecord> users = ctx.selectFrom(USERS).where(USERS.ID.in(userIds)).fetchMap(USERS.ID);
            Map<Long, Result<SampleWorkRecord>> works = ctx.selectFrom(SAMPLE_WORK)
                    .where(SAMPLE_WORK.TAILOR_ID.in(tailorIds)).orderBy(SAMPLE_WORK.ID).fetchGroups(
                            SAMPLE_WORK.TAILOR_ID);
            return tailors.stream().map(t -> new Naive(t, users.get(t.getUserId()),
                    works.containsKey(t.getId()) ? List.copyOf(works.get(t.getId())) : List.of())).toList();
        });
    }

    /**
     * The N+1 shape: a list query, then a query per tailor for its user and another for its works. Junction's
     * {@code n-plus-one} lint flags it.
     */
    public Reported<List<Naive>> tailorsInOneByOne(String city, int limit) {
        return db.readReported(ctx -> ctx.selectFrom(TAILOR).where(TAILOR.CITY.eq(city)).orderBy(TAILOR.ID)
                .limit(limit).fetch().stream()
                .map(t -> new Naive(t, ctx.selectFrom(USERS).where(USERS.ID.eq(t.getUserId())).fetchOne(),
                        List.copyOf(ctx.selectFrom(SAMPLE_WORK).where(SAMPLE_WORK.TAILOR_ID.eq(t.getId()))
                                .orderBy(SAMPLE_WORK.ID).fetch())))
                .toList());
    }

    /**
     * A tailor as the naive code assembles it.
     *
     * @param tailor      the tailor row
     * @param user        its user
     * @param sampleWorks its sample works, by id
     */
    public record Naive(TailorRecord tailor, UsersRecord user, List<SampleWorkRecord> sampleWorks) {
    }
}
