package dev.mq.core.remoting;

import java.util.Objects;

/**
 * An ACL access key and secret key. The secret never appears in {@link #toString()}, logs or
 * exception messages.
 */
public final class Credentials {

    private final String accessKey;
    private final String secretKey;

    public Credentials(String accessKey, String secretKey) {
        this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
        this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
        if (accessKey.isBlank() || secretKey.isBlank()) {
            throw new IllegalArgumentException("access key and secret key must not be blank");
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
