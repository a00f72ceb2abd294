package dev.junction.internal.parallel;

import dev.junction.JunctionException;

/** A work of a parallel group was stopped because a sibling failed. Never reaches callers as the group's failure. */
public final class UnitCancelledException extends JunctionException {
    private static final long serialVersionUID = 1L;

    UnitCancelledException(String message) {
        super(message);
    }
}
