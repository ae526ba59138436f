package dev.mq.core.internal.consume;

/**
 * Hands the messages of owned queues to handlers. The concurrent form runs any ready message on any
 * free handler; an orderly form hands one queue's messages over one at a time, in queue order, while
 * its lock is held.
 */
interface MessageDispatcher {

    /** Starts the handler threads. */
    void start();

    /** {@code queue} has messages ready; called after every pull that cached some. */
    void messagesReady(ProcessQueue queue);

    /** Messages being handled now, over all queues. */
    int inFlight();

    /** Listener calls running now (an asynchronous one until its stage completes), over all queues. */
    int handlersRunning();

    /** Stops the handler threads: interrupts those still running (the caller waited for them first). */
    void shutdown();
}
