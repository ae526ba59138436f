package dev.mq.core.internal.transport;

import dev.mq.core.MQException;

/**
 * An ACL access key and secret key. The secret never appears in {@link #toString()}, logs or
 * exception messages.
 */
public final class Credentials {

    private final String accessKey;
    private final String secretKey;

    /**
     * @throws MQException VALIDATION if either key is null or blank; the message names the key, never
     *                     its value
     */
    public Credentials(String accessKey, String secretKey) {
        check(accessKey, "access key");
        check(secretKey, "secret key");
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    private static void check(String key, String what) {
        if (key == null || key.isBlank()) {
            throw MQException.validation("ACL " + what + " is " + (key == null ? "null" : "blank")
                    + ": request signing needs a non-blank access key and secret key");
        }
    }

    public String accessKey() {
        return accessKey;
    }

    String secretKey() {
        return secretKey;
    }

    @Override
    public String toString() {
        return "Credentials[accessKey=" + accessKey + ", secretKey=******]";
    }
}
