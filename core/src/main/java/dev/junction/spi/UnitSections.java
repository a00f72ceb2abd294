package dev.junction.spi;

/**
 * Lets a library that runs statements for the caller inside a unit of work (Junction's graph fetchers) mark that
 * part of the unit, so a trace shows it as its own span with the statements it ran beneath it. A unit's
 * {@code DSLContext} carries one under {@link #KEY} in its jOOQ {@code Configuration.data(Object)} only when the
 * Database traces units ({@code Junction.Builder.observationRegistry}); otherwise the entry is absent and the library
 * does nothing.
 *
 * <pre>{@code
 * if (ctx.configuration().data(UnitSections.KEY) instanceof UnitSections sections) {
 *     try (UnitSections.Section section = sections.open("graph", "multiset")) { ... }
 * }
 * }</pre>
 *
 * Confined to the thread that runs the unit's work, as the {@code DSLContext} is.
 */
public interface UnitSections {
    /** The key of the jOOQ configuration data entry; the one place it is spelled. */
    String KEY = "dev.junction.unit.sections";

    /**
     * Opens a section on this thread: statements run until it is closed are its children.
     *
     * @param kind     what the section is, a bounded word such as {@code graph}
     * @param strategy how it runs, a bounded word such as {@code multiset}; never SQL text or values
     */
    Section open(String kind, String strategy);

    /** One open section; closed once, on the thread that opened it. */
    interface Section extends AutoCloseable {
        /** The section ran {@code statements} statements in {@code roundTrips} round trips. */
        void completed(int statements, int roundTrips);

        /** The section ended with {@code failure}. */
        void failed(Throwable failure);

        @Override
        void close();
    }
}
