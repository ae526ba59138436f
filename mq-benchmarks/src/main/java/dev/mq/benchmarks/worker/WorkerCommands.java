package dev.mq.benchmarks.worker;

/** The commands one client's worker understands. */
public interface WorkerCommands extends AutoCloseable {

    /** Runs {@code verb} with its {@code key=value} arguments and returns the answer's {@code key=value} text. */
    String handle(String verb, String arguments) throws Exception;

    @Override
    default void close() {
    }
}
