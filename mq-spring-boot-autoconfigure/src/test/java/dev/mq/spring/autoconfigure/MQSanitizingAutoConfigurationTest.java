package dev.mq.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class MQSanitizingAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MQSanitizingAutoConfiguration.class));

    @ParameterizedTest
    @ValueSource(strings = {"mq.client.secret-key", "mq.client.secretKey", "MQ_CLIENT_SECRET_KEY", "MQ_CLIENT_SECRETKEY",
        "mq.client.secret_key"})
    void masksTheSecretKeyInEverySpelling(String key) {
        runner.run(context -> {
            SanitizingFunction f = context.getBean(MQSanitizingAutoConfiguration.SANITIZER_BEAN, SanitizingFunction.class);
            assertThat(f.applyUnlessFiltered(new SanitizableData(null, key, "s3cret")).getValue()).isEqualTo("******");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"mq.client.access-key", "mq.producer.group", "mq.name-server", "other.client.secret-key"})
    void leavesOtherKeysAlone(String key) {
        runner.run(context -> {
            SanitizingFunction f = context.getBean(MQSanitizingAutoConfiguration.SANITIZER_BEAN, SanitizingFunction.class);
            assertThat(f.applyUnlessFiltered(new SanitizableData(null, key, "value")).getValue()).isEqualTo("value");
        });
    }

    @Test
    void backsOffWithoutActuatorOrWhenTheApplicationDefinesItsOwn() {
        runner.withClassLoader(new FilteredClassLoader(SanitizingFunction.class))
                .run(context -> assertThat(context).doesNotHaveBean(MQSanitizingAutoConfiguration.SANITIZER_BEAN));
        SanitizingFunction own = SanitizingFunction.sanitizeValue();
        runner.withBean(MQSanitizingAutoConfiguration.SANITIZER_BEAN, SanitizingFunction.class, () -> own)
                .run(context -> assertThat(context.getBean(MQSanitizingAutoConfiguration.SANITIZER_BEAN)).isSameAs(own));
    }
}
