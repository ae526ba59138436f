package dev.mq.spring.autoconfigure;

import dev.mq.core.MQException;
import dev.mq.core.producer.Transaction;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

/**
 * Ties a transactional message to the Spring transaction of the calling thread: its end follows the
 * transaction's outcome. spring-tx is optional, so nothing here touches it before
 * {@link #requireActive()} has found it on the classpath.
 */
final class TransactionBinding {

    private static final boolean SPRING_TX = ClassUtils.isPresent(
            "org.springframework.transaction.support.TransactionSynchronizationManager",
            TransactionBinding.class.getClassLoader());

    private TransactionBinding() {
    }

    /** @throws MQException VALIDATION unless the calling thread runs an active Spring transaction */
    static void requireActive() {
        if (!SPRING_TX) {
            throw MQException.validation("sendInTransaction(destination, payload) ends the message with the caller's "
                    + "Spring transaction, but spring-tx is not on the classpath; pass a LocalTransaction instead");
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()
                || !TransactionSynchronizationManager.isActualTransactionActive()) {
            throw MQException.validation("sendInTransaction(destination, payload) needs an active Spring transaction "
                    + "(e.g. a @Transactional method) whose outcome commits or rolls back the message; outside one, "
                    + "pass a LocalTransaction instead");
        }
    }

    /**
     * After the calling thread's transaction commits, commits {@code transaction}; after it rolls
     * back, rolls it back; if its outcome is unknown, or the process dies first, sends nothing and
     * the group's checker decides. {@code scope} closes when the end is written.
     */
    static void bind(Transaction transaction, SendObserver.Scope scope) {
        TransactionSynchronizationManager.registerSynchronization(new EndOnCompletion(transaction, scope));
    }

    private record EndOnCompletion(Transaction transaction, SendObserver.Scope scope)
            implements TransactionSynchronization {

        @Override
        public void afterCompletion(int status) {
            switch (status) {
                case STATUS_COMMITTED -> closeWhenWritten(transaction.commit());
                case STATUS_ROLLED_BACK -> closeWhenWritten(transaction.rollback());
                default -> scope.failure(new IllegalStateException("the outcome of the Spring transaction of "
                        + "transactional message " + transaction.transactionId()
                        + " is unknown: its end is left to the producer group's transaction checker"));
            }
        }

        private void closeWhenWritten(java.util.concurrent.CompletableFuture<Void> end) {
            end.whenComplete((ignored, error) -> {
                if (error == null) {
                    scope.success();
                } else {
                    scope.failure(error);
                }
            });
        }
    }
}
