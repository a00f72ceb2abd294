package dev.junction.codegen.runtime;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConnectionProvider;

/**
 * Runs the statements of a multi-statement graph fetch on one connection and one snapshot, so a writer committing
 * between them cannot tear the graph (a child whose parent was not read, a parent without children that committed
 * with it).
 *
 * <p>On a connection in autocommit mode (a plain jOOQ context, or a Junction read unit on a replica) it opens a short
 * transaction of its own: autocommit off, then {@code SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY}
 * as the first statement (pgJDBC sends its {@code BEGIN} in the same round trip), the work, and {@code COMMIT} sent
 * as a statement, so that every message shows in the statement and round-trip counts of whoever listens to jOOQ.
 * Autocommit is restored in every case; on failure the transaction is rolled back.
 *
 * <p>On a connection that is already in a transaction (a Junction write unit, or the caller's own transaction) it
 * cannot change the isolation level, so the work runs inside that transaction with its snapshot rules.
 *
 * <p>The work gets a context pinned to the one connection, with the caller's listeners and settings.
 */
final class Snapshot {
    static final String BEGIN = "set transaction isolation level repeatable read, read only";

    private Snapshot() {
    }

    /** Runs {@code work} on one snapshot; {@code statements} is bumped for every statement this class sends. */
    static <T> T read(DSLContext ctx, int[] statements, Function<DSLContext, T> work) {
        return ctx.connectionResult(connection -> {
            DSLContext pinned = DSL.using(ctx.configuration().derive(new DefaultConnectionProvider(connection)));
            if (!connection.getAutoCommit()) {
                return work.apply(pinned);
            }
            return own(connection, pinned, statements, work);
        });
    }

    private static <T> T own(Connection connection, DSLContext pinned, int[] statements, Function<DSLContext, T> work)
            throws SQLException {
        connection.setAutoCommit(false);
        boolean committed = false;
        try {
            statements[0]++;
            pinned.execute(BEGIN);
            T value = work.apply(pinned);
            statements[0]++;
            pinned.execute("commit");
            committed = true;
            return value;
        } catch (RuntimeException | Error e) {
            if (!committed) {
                try {
                    connection.rollback();
                } catch (SQLException | RuntimeException rollback) {
                    e.addSuppressed(rollback);
                }
            }
            throw e;
        } finally {
            // After the COMMIT statement pgJDBC sees an idle connection, so this sends nothing.
            connection.setAutoCommit(true);
        }
    }
}
