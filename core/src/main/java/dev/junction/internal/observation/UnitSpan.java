package dev.junction.internal.observation;

import dev.junction.UnitReport;
import dev.junction.spi.Lease;
import dev.junction.spi.NodeRef;
import dev.junction.spi.UnitSections;
import org.jspecify.annotations.Nullable;

/**
 * The span of one unit of work and the child spans of what it does: connection acquisitions, statements, sections
 * (a graph fetch). Thread-safe: the works of a parallel group report from their own threads; each child is confined
 * to the thread that opened it.
 */
public interface UnitSpan {

    /** Makes this unit the current span on the calling thread until the scope is closed. */
    Scope open();

    /**
     * In a parallel work's thread, after the caller's context was restored: makes this unit current unless the
     * restored context already did. Null when nothing had to be opened.
     */
    @Nullable Scope openInWork();

    /** A connection is being asked for. */
    Acquisition acquiring();

    /** A statement with shape {@code shape} (placeholders, no values) is about to be sent on {@code node}. */
    Statement statement(String shape, NodeRef node);

    /** What graph fetchers open sections through, for the unit's {@code DSLContext}. */
    UnitSections sections();

    /** Ends the unit's span with its report, and its failure if it failed. */
    void end(UnitReport report, @Nullable Throwable failure);

    /** A scope that makes a span current on one thread. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** One connection acquisition: the time a unit waited for its connection (pool queue, token replay). */
    interface Acquisition {
        void acquired(Lease lease);

        void failed(Throwable failure);
    }

    /** One statement on the wire. */
    interface Statement {
        /** The statement ended: {@code rows} returned or affected ({@code -1} unknown), and its failure if any. */
        void end(long rows, @Nullable Throwable failure);
    }
}
