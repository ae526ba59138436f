package dev.mq.core.internal.transport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Signs requests the way RocketMQ's ACL (1.0 and 2.0 alike) verifies them: {@code AccessKey} joins
 * the header fields, then {@code Signature} = Base64(HMAC-SHA1(secret, values of all fields sorted by
 * name, concatenated, followed by the body)). The server re-signs exactly what it receives, so
 * nothing may be added after signing.
 */
final class AclSigner {

    static final String ACCESS_KEY = "AccessKey";
    static final String SIGNATURE = "Signature";
    private static final String ALGORITHM = "HmacSHA1";

    private final Credentials credentials;
    private final SecretKeySpec key;

    AclSigner(Credentials credentials) {
        this.credentials = credentials;
        this.key = new SecretKeySpec(credentials.secretKey().getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** {@code frame} with {@code AccessKey} and {@code Signature} added to its header. */
    OutboundFrame sign(OutboundFrame frame) {
        TreeMap<String, String> fields = new TreeMap<>();
        frame.header().writeTo(fields::put);
        fields.put(ACCESS_KEY, credentials.accessKey());
        byte[] body = frame.body();
        fields.put(SIGNATURE, signature(fields, body));
        return frame.signed(CommandHeader.of(fields), body);
    }

    String signature(Map<String, String> sortedFields, byte @Nullable [] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            for (Map.Entry<String, String> field : sortedFields.entrySet()) {
                if (!field.getKey().equals(SIGNATURE) && field.getValue() != null) {
                    mac.update(field.getValue().getBytes(StandardCharsets.UTF_8));
                }
            }
            if (body != null) {
                mac.update(body);
            }
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }
}
