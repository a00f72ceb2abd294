package dev.junction.spi;

/** The role a node serves in. */
public enum Role {
    PRIMARY,
    REPLICA;

    /** Lower-case name used in meter tags and messages. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
