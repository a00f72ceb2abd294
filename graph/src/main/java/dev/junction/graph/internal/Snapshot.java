package dev.junction.graph.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.QueryPart;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.ResultQuery;
import org.jooq.Table;
import org.jooq.impl.CustomQueryPart;
import org.jooq.impl.DSL;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DefaultConnectionProvider;
import org.jooq.tools.jdbc.DefaultResultSet;
import org.jspecify.annotations.Nullable;

/**
 * Runs the statements of a multi-statement graph fetch on one connection and one snapshot, so a writer committing
 * between them cannot tear the graph (a child whose parent was not read, a parent without children that committed
 * with it).
 *
 * <p>On a connection in autocommit mode (a plain jOOQ context, or a Junction read unit on a replica) it owns a short
 * transaction: autocommit off, {@code SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY} sent in front of
 * the first query (in the same message, after the {@code BEGIN} pgJDBC adds, so it costs no round trip), and
 * {@code COMMIT} sent behind the last query when the caller knows it is the last, else as a statement of its own.
 * The COMMIT behind a select shares its round trip only when pgJDBC has not described the select (see
 * {@link KeyArrays}), and {@link #fetchAll} sends all selects with both in one message. Every message goes through
 * jOOQ, so listeners (Junction's unit-of-work report) count each statement and round trip. Autocommit is restored in
 * every case; on failure the transaction is rolled back.
 *
 * <p>On a connection that is already in a transaction (a Junction write unit, or the caller's own transaction) it
 * cannot change the isolation level: the queries run inside that transaction with its snapshot rules.
 *
 * <p>Confined to the thread of one fetch.
 */
final class Snapshot {
    static final String BEGIN = "set transaction isolation level repeatable read, read only";
    static final String COMMIT = "commit";

    private static final QueryPart BEGIN_PART =
            CustomQueryPart.of(c -> c.skipUpdateCount().sql(BEGIN).sql(";").formatSeparator());
    private static final QueryPart COMMIT_PART = CustomQueryPart.of(c -> c.sql("; " + COMMIT));
    private static final QueryPart EMPTY = CustomQueryPart.of(c -> { });

    private final DSLContext ctx;
    private final boolean owned;
    private boolean begun;
    private boolean committed;
    private int statements;

    private Snapshot(DSLContext ctx, boolean owned) {
        this.ctx = ctx;
        this.owned = owned;
    }

    /** Runs {@code work} on one snapshot of the connection behind {@code ctx}. */
    static <T> T read(DSLContext ctx, Function<Snapshot, T> work) {
        return ctx.connectionResult(connection -> {
            DSLContext pinned = DSL.using(ctx.configuration().derive(new DefaultConnectionProvider(connection)));
            if (!connection.getAutoCommit()) {
                return work.apply(new Snapshot(pinned, false));
            }
            return own(connection, new Snapshot(pinned, true), work);
        });
    }

    /** A snapshot of one statement: nothing to add. */
    static Snapshot single(DSLContext ctx) {
        return new Snapshot(ctx, false);
    }

    private static <T> T own(Connection connection, Snapshot snapshot, Function<Snapshot, T> work)
            throws SQLException {
        connection.setAutoCommit(false);
        try {
            T value = work.apply(snapshot);
            if (snapshot.begun && !snapshot.committed) {
                snapshot.statements++;
                snapshot.ctx.execute(COMMIT);
                snapshot.committed = true;
            }
            return value;
        } catch (RuntimeException | Error e) {
            if (!snapshot.committed) {
                try {
                    connection.rollback();
                } catch (SQLException | RuntimeException rollback) {
                    e.addSuppressed(rollback);
                }
            }
            throw e;
        } finally {
            // After the COMMIT pgJDBC sees an idle connection, so this sends nothing.
            connection.setAutoCommit(true);
        }
    }

    /** The context to run statements with: pinned to the snapshot's connection. */
    DSLContext ctx() {
        return ctx;
    }

    /** Statements sent so far, including a separate COMMIT. */
    int statements() {
        return statements;
    }

    /**
     * Runs {@code statement}, with the snapshot's first statement in front of it if none was sent yet and, when
     * {@code last}, its commit behind it. The rows are read as {@code fields}, or with {@code table} as that table's
     * records.
     */
    Result<? extends Record> fetch(QueryPart statement, List<? extends Field<?>> fields, @Nullable Table<?> table,
            boolean last) {
        boolean begin = owned && !begun;
        boolean commit = owned && last;
        statements++;
        ResultQuery<Record> wrapped = ctx.resultQuery("{0}{1}{2}", begin ? BEGIN_PART : EMPTY, statement,
                commit ? COMMIT_PART : EMPTY);
        ResultQuery<? extends Record> query = table == null ? wrapped.coerce(fields) : wrapped.coerce(table);
        Result<? extends Record> result = ctx.fetch(query);
        begun = true;
        committed |= commit;
        return result;
    }

    /**
     * Runs {@code statement}, {@code fields.size()} selects in one text, in one round trip: the snapshot's first
     * statement in front and its commit behind them, in the same message. pgJDBC sends all of them before it reads a
     * reply, as long as none needs to be described first (which parameters of unspecified type force); result
     * {@code i} is read as {@code fields.get(i)}. Through jOOQ, so listeners see one statement.
     */
    List<Result<Record>> fetchAll(QueryPart statement, List<List<Field<?>>> fields) {
        boolean begin = owned && !begun;
        boolean commit = owned;
        statements += fields.size();
        ResultQuery<Record> query = ctx.resultQuery("{0}{1}{2}", begin ? BEGIN_PART : EMPTY, statement,
                commit ? COMMIT_PART : EMPTY).coerce(fields.get(0));
        List<Result<Record>> results = new ArrayList<>(fields.size());
        try (Cursor<Record> cursor = query.fetchLazy()) {
            ResultSet first = cursor.resultSet();
            Statement jdbc = first.getStatement();
            results.add(read(first, fields.get(0)));
            for (int i = 1; i < fields.size(); i++) {
                while (!jdbc.getMoreResults()) {
                    if (jdbc.getUpdateCount() == -1) {
                        throw new IllegalStateException("graph fetch sent " + fields.size() + " selects in one"
                                + " statement but received " + i + " results");
                    }
                }
                try (ResultSet next = jdbc.getResultSet()) {
                    results.add(read(next, fields.get(i)));
                }
            }
        } catch (SQLException e) {
            throw new DataAccessException("graph fetch: reading the results of its statements failed: "
                    + e.getMessage(), e);
        }
        begun = true;
        committed |= commit;
        return results;
    }

    /** Reads one result with jOOQ's bindings of {@code fields}; the result set stays open for the next one. */
    private Result<Record> read(ResultSet rs, List<Field<?>> fields) {
        return ctx.fetch(new KeptOpen(rs), fields.toArray(Field<?>[]::new));
    }

    /** jOOQ closes a result set it has read, which would close the statement whose further results we still read. */
    private static final class KeptOpen extends DefaultResultSet {
        KeptOpen(ResultSet delegate) {
            super(delegate);
        }

        @Override
        public void close() {
        }
    }
}
