package dev.mq.test.broker;

/** One RocketMQ server role running inside this JVM. */
interface Node {

    void start() throws Exception;

    /** Runs one control command and returns the reply text (without the OK). */
    String handle(String[] command) throws Exception;

    void shutdown();

    static String require(java.util.Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("missing --" + key);
        }
        return value;
    }
}
