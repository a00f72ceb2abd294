package dev.junction.spi;

/** What a unit of work will do with the connection it asks for. */
public enum Intent {
    /** Only reads; may be served by a replica; no transaction. */
    READ,
    /** Reads and writes in one transaction; always the primary. */
    WRITE
}
