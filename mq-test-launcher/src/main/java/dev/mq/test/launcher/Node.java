package dev.mq.test.launcher;

/** One RocketMQ server role running inside this JVM, driven by {@link NodeLauncher}. */
public interface Node {

    void start() throws Exception;

    /**
     * Runs one control command, already split on blanks, and returns the reply text (without the
     * {@code OK}). Every node answers {@code PING}; a node with more commands handles them and leaves
     * the rest to this default.
     */
    default String handle(String[] command) throws Exception {
        if (command[0].equals("PING")) {
            return "PONG";
        }
        throw new IllegalArgumentException("unknown command " + command[0]);
    }

    void shutdown();
}
