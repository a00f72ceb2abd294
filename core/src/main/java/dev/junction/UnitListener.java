package dev.junction;

/**
 * Receives the report of every unit of work when it ends, successfully or not. Registered with
 * {@link Junction.Builder#unitListener(UnitListener)}; the hook for metrics, slow-unit logs and lints.
 *
 * <p>Called synchronously on the thread that ran the unit, after its connections were released, so keep it cheap.
 * Implementations must be thread-safe: units end concurrently. An exception thrown by a listener is logged and
 * ignored; it never changes the unit's outcome.
 */
@FunctionalInterface
public interface UnitListener {

    /** Called once per unit of work, after it ended. */
    void onUnitEnd(UnitReport report);
}
