package dev.mq.spring.autoconfigure;

import dev.mq.core.client.ClientState;
import dev.mq.core.client.ClusterStatus;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.producer.Producer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP when a NameServer answers now, it lists at least one broker with a master, and the client and
 * its producers are RUNNING; DOWN with the reason otherwise. Details name the NameServers and the
 * brokers, never credentials.
 */
public class MQHealthIndicator extends AbstractHealthIndicator {

    private final MQClientInstance client;
    private final Duration timeout;

    public MQHealthIndicator(MQClientInstance client, Duration timeout) {
        super("RocketMQ health check failed");
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        builder.withDetail("nameServers", client.nameServers()).withDetail("clientId", client.clientId());
        if (client.state() != ClientState.RUNNING) {
            builder.down().withDetail("reason", "client is " + client.state());
            return;
        }
        List<String> stopped = client.producers().stream().filter(p -> !p.isRunning()).map(Producer::group).toList();
        if (!stopped.isEmpty()) {
            builder.down().withDetail("reason", "producers not running: " + stopped);
            return;
        }
        ClusterStatus status;
        try {
            status = client.clusterStatus().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            builder.down().withDetail("reason", "no name server answered: " + e.getCause().getMessage());
            return;
        } catch (TimeoutException e) {
            builder.down().withDetail("reason", "no name server answered within " + timeout.toMillis() + " ms");
            return;
        }
        builder.withDetail("nameServer", status.nameServer()).withDetail("brokers", status.brokers());
        if (status.brokers().isEmpty()) {
            builder.down().withDetail("reason", "name server " + status.nameServer() + " knows no broker");
        } else {
            builder.up();
        }
    }
}
