package dev.junction.spring;

import dev.junction.JunctionException;

/**
 * {@code db.write} was called while a Spring-managed transaction ({@code @Transactional},
 * {@code TransactionTemplate}) is active on the thread. Junction's write is its own short transaction on its own
 * primary connection: it would commit on its own, whatever Spring's transaction does afterwards, so the starter
 * refuses it before taking a connection; nothing was written. Call {@code db.write} outside the Spring transaction
 * (for example from a method without {@code @Transactional}, or with
 * {@code @Transactional(propagation = Propagation.NOT_SUPPORTED)}).
 */
public final class WriteInSpringTransactionException extends JunctionException {
    private static final long serialVersionUID = 1L;

    WriteInSpringTransactionException(String message) {
        super(message);
    }
}
