package dev.mq.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.test.TestCertificates;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The wiring of TLS and connection details, without a broker: which bundle and credentials reach the
 * client, what fails start-up, and the checks every TLS context the starter builds has switched on.
 * The behaviour against a real broker is SslBundleTlsTest's.
 */
class MQSslAutoConfigurationTest {

    @TempDir
    static Path files;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MQAutoConfiguration.class))
            .withPropertyValues("mq.name-server=127.0.0.1:9876");

    private static String[] pemBundle(String name) {
        TestCertificates.Authority ca = TestCertificates.authority("wiring-ca");
        TestCertificates.Issued client = ca.issue("wiring-client");
        return new String[] {
            "spring.ssl.bundle.pem." + name + ".truststore.certificate=file:" + ca.certificate().writeCertificate(files),
            "spring.ssl.bundle.pem." + name + ".keystore.certificate=file:" + client.writeCertificate(files),
            "spring.ssl.bundle.pem." + name + ".keystore.private-key=file:" + client.writePrivateKey(files)};
    }

    private static String hostNameCheck(SslContext context) {
        SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT, "127.0.0.1", 9876);
        return engine.getSSLParameters().getEndpointIdentificationAlgorithm();
    }

    @Test
    void unknownBundleFailsStartUpNamingPropertyAndBundle() {
        runner.withPropertyValues("mq.client.ssl.bundle=missing").run(context -> assertThat(context).getFailure()
                .rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("mq.client.ssl.bundle").hasMessageContaining("'missing'")
                .hasMessageContaining("spring.ssl.bundle.pem.missing"));
    }

    @Test
    void bundleWithoutBootsSslAutoConfigurationIsAnUnknownBundleToo() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MQAutoConfiguration.class))
                .withPropertyValues("mq.name-server=127.0.0.1:9876", "mq.client.ssl.bundle=orders")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("mq.client.ssl.bundle").hasMessageContaining("'orders'"));
    }

    @Test
    void propertiesFeedTheDefaultConnectionDetails() {
        runner.withPropertyValues(pemBundle("mq")).withPropertyValues("mq.client.ssl.bundle=mq",
                "mq.client.access-key=ak", "mq.client.secret-key=sk").run(context -> {
                    MQConnectionDetails details = context.getBean(MQConnectionDetails.class);
                    assertThat(details.getNameServer()).isEqualTo("127.0.0.1:9876");
                    assertThat(details.getAccessKey()).isEqualTo("ak");
                    assertThat(details.getSecretKey()).isEqualTo("sk");
                    assertThat(details.getSslBundle()).isNotNull();
                    assertThat(details.getSslBundle().getStores().getKeyStore()).isNotNull();
                });
    }

    @Test
    void withoutBundleOrCredentialsTheDetailsCarryNone() {
        runner.run(context -> {
            MQConnectionDetails details = context.getBean(MQConnectionDetails.class);
            assertThat(details.getSslBundle()).isNull();
            assertThat(details.getAccessKey()).isNull();
            assertThat(details.getSecretKey()).isNull();
        });
    }

    @Test
    void connectionDetailsOfTheApplicationWinOverProperties() {
        MQConnectionDetails own = () -> "127.0.0.2:9876";
        runner.withBean(MQConnectionDetails.class, () -> own)
                .withPropertyValues("mq.client.ssl.bundle=not-read", "mq.client.access-key=not-read")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).getBean(MQConnectionDetails.class).isSameAs(own);
                    assertThat(context.getBean(dev.mq.core.client.MQClientInstance.class).nameServers())
                            .containsExactly("127.0.0.2:9876");
                });
    }

    @Test
    void trustAllTogetherWithABundleFailsStartUp() {
        runner.withPropertyValues(pemBundle("mq")).withPropertyValues("mq.client.ssl.bundle=mq",
                "mq.client.tls.enabled=true", "mq.client.tls.trust-all=true").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("mq.client.tls.trust-all")
                .hasMessageContaining("cannot be combined"));
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void trustAllStartsWithAWarning(CapturedOutput output) {
        runner.withPropertyValues("mq.client.tls.enabled=true", "mq.client.tls.trust-all=true").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("WARN").contains("mq.client.tls.trust-all=true")
                    .contains("accepts ANY server certificate");
        });
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void verifyingTlsStartsWithoutThatWarning(CapturedOutput output) {
        runner.withPropertyValues("mq.client.tls.enabled=true").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).doesNotContain("accepts ANY server certificate");
        });
    }

    @Test
    void everyVerifyingContextChecksTheHostName() {
        MQProperties.Tls enabled = new MQProperties.Tls();
        enabled.setEnabled(true);
        SslBundle bundle = SslBundle.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate(
                TestCertificates.authority("engine-ca").certificate().certificatePem())));

        assertThat(hostNameCheck(MQSslContexts.of(bundle, new MQProperties.Tls()).get())).isEqualTo("HTTPS");
        assertThat(hostNameCheck(MQSslContexts.of(null, enabled).get())).isEqualTo("HTTPS");
        assertThat(MQSslContexts.of(null, new MQProperties.Tls())).as("TLS off").isNull();

        MQProperties.Tls trustAll = new MQProperties.Tls();
        trustAll.setEnabled(true);
        trustAll.setTrustAll(true);
        assertThat(hostNameCheck(MQSslContexts.of(null, trustAll).get())).isNull();
    }

    @Test
    void aReloadThatCannotBeUsedKeepsThePreviousContext() {
        SslBundle bundle = SslBundle.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate(
                TestCertificates.authority("reload-ca").certificate().certificatePem())));
        MQSslContexts contexts = MQSslContexts.of(bundle, new MQProperties.Tls());
        SslContext before = contexts.get();

        contexts.reload(SslBundle.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate("not a PEM"))));

        assertThat(contexts.get()).isSameAs(before);
        assertThatThrownBy(() -> MQSslContexts.fromBundle(SslBundle.of(new PemSslStoreBundle(null,
                PemSslStoreDetails.forCertificate("not a PEM"))))).isInstanceOf(RuntimeException.class);
    }
}
