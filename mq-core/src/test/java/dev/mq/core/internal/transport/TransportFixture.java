package dev.mq.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.client.ClientResources;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RemotingClient} on resources of its own with one callback thread, as the transport tests
 * use it; {@link #close()} closes the client, then the resources, and checks the callback thread ends.
 */
final class TransportFixture implements AutoCloseable {

    final ExecutorService callbacks = Executors.newSingleThreadExecutor();
    final ClientResources resources;
    final RemotingClient client;

    TransportFixture(String name, RemotingConfig config, InboundRequestHandler inbound) {
        this.resources = ClientResources.builder().name(name).build();
        this.client = newClient(name, config, inbound);
    }

    /** Another client on the same resources and callback thread (closed by its caller). */
    RemotingClient newClient(String name, RemotingConfig config, InboundRequestHandler inbound) {
        return new RemotingClient(name, config, inbound, callbacks, resources.eventLoopGroup(), resources.timer(),
                resources.clock());
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        resources.close();
        callbacks.shutdown();
        assertThat(callbacks.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
}
