package dev.mq.test.broker4;

import java.util.Map;

/** One RocketMQ 4.9 server role running inside this JVM. */
interface Node {

    void start() throws Exception;

    /** Runs one control command and returns the reply text (without the OK). */
    String handle(String[] command) throws Exception;

    void shutdown();

    static String require(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("missing --" + key);
        }
        return value;
    }
}
