package dev.mq.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.SendResult;
import dev.mq.core.SendStatus;
import dev.mq.core.client.ClientResources;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.transport.CommandHeader;
import dev.mq.core.internal.transport.InboundRequestHandler;
import dev.mq.core.internal.transport.OutboundFrame;
import dev.mq.core.internal.transport.RemotingClient;
import dev.mq.core.internal.transport.RemotingConfig;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.OfficialConsumer;
import dev.mq.test.RocketMQVersion;
import dev.mq.test.StoredMessage;
import dev.mq.test.TlsMode;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * TLS against a real NameServer and broker in "enforcing" mode (plaintext refused), each presenting
 * the self-signed certificate RocketMQ's TLS test mode generates; one cluster per class.
 * {@link TlsIntegrationTest} runs it on 5.5.0, {@link TlsIntegration49Test} on 4.9.7.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TlsIntegrationContract {

    private static final String TOPIC = "TlsTopic";

    private EmbeddedRocketMQ mq;
    private final List<MQClientInstance> clients = new ArrayList<>();

    /** The release line under test. */
    abstract RocketMQVersion version();

    @BeforeAll
    void startCluster() {
        mq = EmbeddedRocketMQ.builder().rocketmqVersion(version()).tls(TlsMode.ENFORCING).build().start();
        mq.createTopic(TOPIC, 2);
    }

    @AfterAll
    void stopCluster() {
        if (mq != null) {
            mq.close();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(MQClientInstance::close);
    }

    private static SslContext trustAnyCertificate() throws SSLException {
        // The servers' certificate is self-signed and made up at start-up: nothing to verify it against.
        return SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    }

    private Producer producer(MQClientInstance.Builder builder) {
        MQClientInstance client = builder.nameServer(mq.nameServerAddress()).build();
        clients.add(client);
        client.start();
        return client.newProducer(ProducerConfig.builder().group("tls-it").sendTimeout(Duration.ofSeconds(10)).build());
    }

    @Test
    void tlsClientSendsAndTheOfficialConsumerReadsBackOverTls() throws Exception {
        Producer producer = producer(MQClientInstance.builder().sslContext(trustAnyCertificate()));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            SendResult result = producer.send(Message.builder(TOPIC).body("over-tls-" + i).build());
            assertThat(result.status()).isEqualTo(SendStatus.SEND_OK);
            ids.add(result.messageId());
        }
        List<StoredMessage> read = OfficialConsumer.readAll(mq.nameServerAddress(), TOPIC, ids.size(),
                Duration.ofSeconds(30), OfficialConsumer.Access.PLAIN.withTls());
        assertThat(read).extracting(StoredMessage::getMsgId).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void plaintextClientFailsFastWithAnErrorThatPointsAtTls() {
        Producer producer = producer(MQClientInstance.builder());
        long start = System.nanoTime();
        MQException e = catchThrowableOfType(MQException.class,
                () -> producer.send(Message.builder(TOPIC).body("plaintext").build()));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(e.reason()).isEqualTo(MQException.Reason.CONNECTION);
        assertThat(e.getMessage()).contains(mq.nameServerAddress(), "closed by the server before it answered anything",
                "requires TLS", "sslContext");
        assertThat(elapsedMs).as("the server closes at the first byte; no deadline is involved").isLessThan(5_000);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsToldWhyTheHandshakeFailed() throws Exception {
        // The JDK's default trust store does not know the servers' self-signed certificate.
        Producer producer = producer(MQClientInstance.builder().sslContext(SslContextBuilder.forClient().build()));
        MQException e = catchThrowableOfType(MQException.class,
                () -> producer.send(Message.builder(TOPIC).body("untrusted").build()));
        assertThat(e.reason()).isEqualTo(MQException.Reason.CONNECTION);
        assertThat(e.getMessage()).contains("TLS handshake with " + mq.nameServerAddress()
                + " failed: the server's certificate was not accepted", "SSLHandshakeException", "certification path",
                "trusts the CA that issued it");
    }

    @Test
    void theBrokerItselfRefusesPlaintextToo() throws Exception {
        ExecutorService callbacks = Executors.newSingleThreadExecutor();
        try (ClientResources resources = ClientResources.builder().name("tls-probe").build();
             RemotingClient plaintext = new RemotingClient("tls-probe", RemotingConfig.defaults(),
                     InboundRequestHandler.UNSUPPORTED, callbacks, resources.eventLoopGroup(), resources.timer(),
                     resources.clock())) {
            var heartbeat = plaintext.invoke(mq.brokerAddress(0),
                    OutboundFrame.request(RequestCode.HEART_BEAT, CommandHeader.EMPTY, null), Duration.ofSeconds(10));
            MQException e = (MQException) catchThrowableOfType(ExecutionException.class,
                    () -> heartbeat.get(10, TimeUnit.SECONDS)).getCause();
            assertThat(e.reason()).isEqualTo(MQException.Reason.CONNECTION);
            assertThat(e.getMessage()).contains(mq.brokerAddress(0), "requires TLS");
        } finally {
            callbacks.shutdownNow();
        }
    }
}
