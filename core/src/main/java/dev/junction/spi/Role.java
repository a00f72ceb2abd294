package dev.junction.spi;

import java.util.Locale;

/** The role a node serves in. */
public enum Role {
    PRIMARY,
    REPLICA;

    /** Lower-case name used in meter tags and messages. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
