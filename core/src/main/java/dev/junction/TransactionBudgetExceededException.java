package dev.junction;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A write unit ran past its transaction budget and was rolled back: nothing it wrote was committed, and its
 * connection went back to the pool in a clean state. The message lists the statements (SQL shapes, no bind values),
 * their durations and the gaps between them, which is where the time went.
 */
public final class TransactionBudgetExceededException extends JunctionException {
    private static final long serialVersionUID = 1L;

    private final Duration budget;
    private final transient List<UnitReport.StatementReport> statements;

    public TransactionBudgetExceededException(String message, Duration budget,
                                              List<UnitReport.StatementReport> statements,
                                              @Nullable Throwable cause) {
        super(message, cause);
        this.budget = budget;
        this.statements = List.copyOf(statements);
    }

    /** The budget that was exceeded. */
    public Duration budget() {
        return budget;
    }

    /** The statements the transaction ran, in order, with their offsets and durations. */
    public List<UnitReport.StatementReport> statements() {
        return statements;
    }
}
