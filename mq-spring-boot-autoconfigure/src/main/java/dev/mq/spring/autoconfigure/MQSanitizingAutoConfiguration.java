package dev.mq.spring.autoconfigure;

import java.util.Locale;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Keeps {@code mq.client.secret-key} out of the {@code env} and {@code configprops} endpoints.
 *
 * <p>Since Spring Boot 3 those endpoints mask every value unless the application sets
 * {@code show-values} to {@code always} or {@code when-authorized}; from then on only
 * {@link SanitizingFunction} beans decide, and Boot contributes none for keys named like secrets.
 * This one masks the ACL secret key in every spelling a property source may use:
 * {@code mq.client.secret-key}, {@code mq.client.secretKey} (configprops) and
 * {@code MQ_CLIENT_SECRETKEY} / {@code MQ_CLIENT_SECRET_KEY} (environment variables).
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class MQSanitizingAutoConfiguration {

    /** Bean name of the function; define a bean with this name to replace it. */
    public static final String SANITIZER_BEAN = "mqSecretKeySanitizer";

    @Bean(name = SANITIZER_BEAN)
    @ConditionalOnMissingBean(name = SANITIZER_BEAN)
    SanitizingFunction mqSecretKeySanitizer() {
        return SanitizingFunction.sanitizeValue().ifKeyMatches(MQSanitizingAutoConfiguration::isSecretKey);
    }

    static boolean isSecretKey(String key) {
        if (key == null) {
            return false;
        }
        String k = key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(".", "");
        return k.startsWith("mqclient") && k.endsWith("secretkey");
    }
}
