package dev.mq.spring.autoconfigure.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mq.core.MQException;
import dev.mq.core.SendResult;
import dev.mq.spring.autoconfigure.MQAutoConfiguration;
import dev.mq.spring.autoconfigure.MQConnectionDetails;
import dev.mq.spring.autoconfigure.MQTemplate;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.TestCertificates;
import dev.mq.test.TlsMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * TLS the Spring Boot way against a real RocketMQ 5.5.0 NameServer and broker that enforce TLS,
 * present a certificate issued by a CA made up here (for 127.0.0.1, as an IP subject alternative
 * name), require every client to present a certificate from that CA, and authenticate every request to
 * the broker (ACL 2.0). One cluster for all methods.
 */
class SslBundleTlsTest {

    private static final String TOPIC = "SslBundleTopic";
    private static final String BUNDLE = "mq";
    private static final String ACCESS_KEY = "tls-user";
    private static final String SECRET_KEY = "tls-secret";

    @TempDir
    static Path files;

    private static EmbeddedRocketMQ mq;
    private static TestCertificates.Authority ca;
    private static Path caFile;
    private static Path clientCertificate;
    private static Path clientKey;
    private static Path otherCaFile;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MQAutoConfiguration.class))
            .withPropertyValues("mq.producer.group=ssl-bundle", "mq.producer.send-timeout=5s");

    /** The property-based connection details: address, bundle and credentials from mq.*. */
    private ApplicationContextRunner withProperties(String nameServer, List<String> bundle) {
        return runner.withPropertyValues("mq.name-server=" + nameServer, "mq.client.access-key=" + ACCESS_KEY,
                "mq.client.secret-key=" + SECRET_KEY).withPropertyValues(bundle.toArray(String[]::new));
    }

    private static MQConnectionDetails details(String accessKey, String secretKey) {
        return new MQConnectionDetails() {
            @Override
            public String getNameServer() {
                return mq.nameServerAddress();
            }

            @Override
            public SslBundle getSslBundle() {
                return pemBundle(caFile, clientCertificate, clientKey);
            }

            @Override
            public String getAccessKey() {
                return accessKey;
            }

            @Override
            public String getSecretKey() {
                return secretKey;
            }
        };
    }

    @BeforeAll
    static void startCluster() {
        ca = TestCertificates.authority("mq-test-ca");
        TestCertificates.Issued client = ca.issue("client");
        caFile = ca.certificate().writeCertificate(files);
        clientCertificate = client.writeCertificate(files);
        clientKey = client.writePrivateKey(files);
        otherCaFile = TestCertificates.authority("other-ca").certificate().writeCertificate(files);
        mq = EmbeddedRocketMQ.builder().tls(TlsMode.ENFORCING)
                .tlsCertificate(ca.issue("broker", "127.0.0.1"))
                .requireClientCertificates(ca)
                .authentication(ACCESS_KEY, SECRET_KEY)
                .build().start();
        mq.createTopic(TOPIC, 2);
    }

    @AfterAll
    static void stopCluster() {
        if (mq != null) {
            mq.close();
        }
    }

    private static List<String> bundle(Path trusted, @Nullable Path certificate, @Nullable Path key) {
        List<String> properties = new ArrayList<>(List.of(
                "spring.ssl.bundle.pem." + BUNDLE + ".truststore.certificate=file:" + trusted));
        if (certificate != null) {
            properties.add("spring.ssl.bundle.pem." + BUNDLE + ".keystore.certificate=file:" + certificate);
            properties.add("spring.ssl.bundle.pem." + BUNDLE + ".keystore.private-key=file:" + key);
        }
        properties.add("mq.client.ssl.bundle=" + BUNDLE);
        return properties;
    }

    private static SslBundle pemBundle(Path trusted, @Nullable Path certificate, @Nullable Path key) {
        PemSslStoreDetails keyStore = certificate == null ? null
                : PemSslStoreDetails.forCertificate("file:" + certificate).withPrivateKey("file:" + key);
        return SslBundle.of(new PemSslStoreBundle(keyStore, PemSslStoreDetails.forCertificate("file:" + trusted)));
    }

    private static MQException sendFails(MQTemplate template) {
        Throwable failure = catchThrowable(() -> template.syncSend(TOPIC, "refused"));
        assertThat(failure).isInstanceOf(MQException.class);
        return (MQException) failure;
    }

    @Test
    void bundleWithTheClusterCaAndAClientKeySendsOverMutualTls() {
        withProperties(mq.nameServerAddress(), bundle(caFile, clientCertificate, clientKey))
                .run(context -> {
                    SendResult result = context.getBean(MQTemplate.class).syncSend(TOPIC, "over mutual TLS");
                    assertThat(result.isOk()).isTrue();
                });
    }

    @Test
    void bundleTrustingAnotherCaRefusesTheServersCertificate() {
        withProperties(mq.nameServerAddress(), bundle(otherCaFile, clientCertificate, clientKey))
                .run(context -> assertThat(sendFails(context.getBean(MQTemplate.class)))
                        .hasMessageContaining("the server's certificate was not accepted")
                        .hasMessageContaining("certification path"));
    }

    @Test
    void certificateWithoutTheHostNameConnectedToFailsHostNameVerification() {
        // The servers' certificate names 127.0.0.1 only; the same NameServer reached as "localhost" must be refused.
        String localhost = "localhost:" + mq.nameServerAddress().substring(mq.nameServerAddress().lastIndexOf(':') + 1);
        withProperties(localhost, bundle(caFile, clientCertificate, clientKey))
                .run(context -> assertThat(sendFails(context.getBean(MQTemplate.class)))
                        .hasMessageContaining("the server's certificate was not accepted")
                        .hasMessageContaining("No name matching localhost"));
    }

    @Test
    void bundleWithoutAKeyIsRefusedByServersThatRequireClientCertificates() {
        withProperties(mq.nameServerAddress(), bundle(caFile, null, null))
                .run(context -> assertThat(sendFails(context.getBean(MQTemplate.class)))
                        .hasMessageContaining("the server refused this client's certificate")
                        .hasMessageContaining("bad_certificate"));
    }

    @Test
    void connectionDetailsOfTheApplicationSupplyAddressBundleAndCredentialsInsteadOfProperties() {
        MQConnectionDetails details = details(ACCESS_KEY, SECRET_KEY);
        // No mq.name-server, mq.client.ssl.bundle or keys: without the bean, start-up would fail.
        runner.withBean(MQConnectionDetails.class, () -> details).run(context -> {
            assertThat(context.getBean(MQConnectionDetails.class)).isSameAs(details);
            assertThat(context.getBean(MQTemplate.class).syncSend(TOPIC, "via connection details").isOk()).isTrue();
        });
    }

    @Test
    void wrongCredentialsFromTheConnectionDetailsAreRefusedByTheBroker() {
        runner.withBean(MQConnectionDetails.class, () -> details(ACCESS_KEY, "not-the-secret"))
                .run(context -> assertThat(sendFails(context.getBean(MQTemplate.class)))
                        .hasMessageContaining("refused this client's ACL credentials"));
    }

    @Test
    void reloadedBundleIsUsedByTheNextConnection() {
        withProperties(mq.nameServerAddress(), bundle(otherCaFile, clientCertificate, clientKey))
                .run(context -> {
                    MQTemplate template = context.getBean(MQTemplate.class);
                    assertThat(sendFails(template)).hasMessageContaining("the server's certificate was not accepted");

                    context.getBean(SslBundleRegistry.class)
                            .updateBundle(BUNDLE, pemBundle(caFile, clientCertificate, clientKey));

                    assertThat(template.syncSend(TOPIC, "after reload").isOk()).isTrue();
                });
    }
}
