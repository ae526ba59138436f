package dev.mq.core.producer;

import static dev.mq.core.producer.FakeCluster.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.client.ClientResources;
import dev.mq.core.client.ClientState;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.transport.FakeServer;
import dev.mq.core.testing.ManualClock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Resources owned by one client or shared by several: who uses their threads, and who stops them. */
class ClientResourcesTest {

    private final FakeCluster cluster = new FakeCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void sharedResourcesServeSeveralClientsAndStopOnlyWhenTheApplicationClosesThem() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        FakeServer nameServer = cluster.nameServer(topic -> route(4, broker), 0);
        ClientResources shared = ClientResources.builder().name("shared-test").build();
        MQClientInstance a = cluster.add(MQClientInstance.builder().nameServer(nameServer.address())
                .instanceName("a").resources(shared).build());
        MQClientInstance b = cluster.add(MQClientInstance.builder().nameServer(nameServer.address())
                .instanceName("b").resources(shared).build());
        a.start();
        b.start();
        Producer pa = FakeCluster.producer(a, "pg-a", c -> c);
        Producer pb = FakeCluster.producer(b, "pg-b", c -> c);
        assertThat(pa.sendAsync(message()).get(10, TimeUnit.SECONDS).isOk()).isTrue();
        assertThat(pb.send(message()).isOk()).isTrue();
        // Both clients' connections and completions ran on the one set of threads; neither made its own.
        assertThat(threads("shared-test")).anyMatch(n -> n.startsWith("mq-io-shared-test"))
                .anyMatch(n -> n.startsWith("mq-timer-shared-test"))
                .anyMatch(n -> n.startsWith("mq-callback-shared-test"));
        assertThat(threads("mq-io-a").size() + threads("mq-io-b").size()).isZero();

        a.close();
        assertThat(shared.isClosed()).isFalse();
        assertThat(pb.sendAsync(message()).get(10, TimeUnit.SECONDS).isOk()).isTrue(); // b is unaffected
        b.close();
        assertThat(threads("shared-test")).isNotEmpty(); // borrowed: the clients left them running

        shared.close();
        SendAssertions.waitUntil(() -> threads("shared-test").isEmpty());
    }

    @Test
    void aClientThatOwnsItsResourcesStopsTheirThreadsOnClose() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        FakeServer nameServer = cluster.nameServer(topic -> route(4, broker), 0);
        MQClientInstance client = cluster.add(MQClientInstance.builder().nameServer(nameServer.address())
                .instanceName("owned-test").ioThreads(2).build());
        client.start();
        Producer producer = FakeCluster.producer(client, "pg-owned", c -> c);
        assertThat(producer.sendAsync(message()).get(10, TimeUnit.SECONDS).isOk()).isTrue();
        assertThat(threads("owned-test")).anyMatch(n -> n.startsWith("mq-io-owned-test"));

        client.close();
        SendAssertions.waitUntil(() -> threads("owned-test").isEmpty());
    }

    @Test
    void theShortcutSettingsCannotBeCombinedWithGivenResources() {
        try (ClientResources resources = ClientResources.create()) {
            assertThatThrownBy(() -> MQClientInstance.builder().nameServer("127.0.0.1:9876").resources(resources)
                    .ioThreads(2).build())
                    .isInstanceOf(MQException.class)
                    .hasMessageContaining("set them on ClientResources.builder() instead");
            assertThatThrownBy(() -> MQClientInstance.builder().nameServer("127.0.0.1:9876").resources(resources)
                    .callbackExecutor(Runnable::run).build())
                    .isInstanceOf(MQException.class)
                    .hasMessageContaining("set them on ClientResources.builder() instead");
        }
    }

    @Test
    void closedResourcesCannotStartAClient() {
        ClientResources resources = ClientResources.create();
        resources.close();
        MQClientInstance client = MQClientInstance.builder().nameServer("127.0.0.1:9876").resources(resources).build();
        assertThatThrownBy(client::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(client.state()).isEqualTo(ClientState.START_FAILED);
    }

    @Test
    void aClockOtherThanTheSystemsNeedsATimerThatFiresOnIt() {
        assertThatThrownBy(() -> ClientResources.builder().clock(new ManualClock()).build())
                .isInstanceOf(MQException.class)
                .hasMessageContaining("needs a timer that fires on its time");
    }

    private static Message message() {
        return Message.builder("Shared").body("x").build();
    }

    /** Names of live threads that contain {@code part}. */
    private static List<String> threads(String part) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.contains(part)).toList();
    }
}
