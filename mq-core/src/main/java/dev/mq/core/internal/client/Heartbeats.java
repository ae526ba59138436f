package dev.mq.core.internal.client;

import dev.mq.core.internal.protocol.HeartbeatBody;
import dev.mq.core.internal.protocol.HeartbeatBody.ConsumerGroup;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.ResponseCode;
import dev.mq.core.internal.transport.CommandHeader;
import dev.mq.core.internal.transport.OutboundFrame;
import dev.mq.core.internal.transport.RemotingClient;
import dev.mq.core.internal.transport.RemotingCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps brokers aware of this client's groups: a heartbeat to every known master broker on each
 * tick, one at once to a broker seen for the first time (or to all when a group is added), and an
 * unregistration of each group at close. Brokers expire a client whose heartbeats stop (120 s), so
 * a lost heartbeat costs nothing but a retry at the next tick.
 */
public final class Heartbeats {

    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

    private final String clientId;
    private final RemotingClient remoting;
    private final Duration requestTimeout;
    private final Supplier<Set<String>> producerGroups;
    private final Supplier<List<ConsumerGroup>> consumerGroups;
    /** Brokers that accepted the current groups; a failed heartbeat removes its broker, so the next route change retries it. */
    private final Set<String> announced = ConcurrentHashMap.newKeySet();
    /**
     * Per broker, the answer to the latest heartbeat naming the current groups: completed once the
     * broker accepted one (a requester waits for it, because the broker pushes replies only to a
     * client it knows), removed and completed exceptionally when a heartbeat fails, cleared when the
     * groups change.
     */
    private final Map<String, CompletableFuture<Void>> acknowledged = new ConcurrentHashMap<>();

    /**
     * @param producerGroups the groups to announce (wire names, namespace applied), read at each heartbeat
     */
    public Heartbeats(String clientId, RemotingClient remoting, Duration requestTimeout,
                      Supplier<Set<String>> producerGroups) {
        this(clientId, remoting, requestTimeout, producerGroups, List::of);
    }

    /**
     * @param producerGroups the producer groups to announce (wire names, namespace applied), read at each heartbeat
     * @param consumerGroups the running consumers' groups with their complete subscriptions, read at each heartbeat
     */
    public Heartbeats(String clientId, RemotingClient remoting, Duration requestTimeout,
                      Supplier<Set<String>> producerGroups, Supplier<List<ConsumerGroup>> consumerGroups) {
        this.clientId = clientId;
        this.remoting = remoting;
        this.requestTimeout = requestTimeout;
        this.producerGroups = producerGroups;
        this.consumerGroups = consumerGroups;
    }

    /** The periodic heartbeat: to every broker in {@code brokers}. */
    public void sendTo(Collection<String> brokers) {
        for (String address : brokers) {
            send(address);
        }
    }

    /** A route named {@code brokers}: announces the groups to those not yet told. */
    public void sendToNew(Collection<String> brokers) {
        for (String address : brokers) {
            if (!announced.contains(address)) {
                send(address);
            }
        }
    }

    /** A group was added: every broker must hear of it, so all of {@code brokers} are told at once. */
    public void groupsChanged(Collection<String> brokers) {
        announced.clear();
        acknowledged.clear();
        sendTo(brokers);
    }

    /**
     * Completes once each of {@code brokers} has accepted a heartbeat naming the current groups,
     * sending one to those that have not; completes exceptionally if one of those heartbeats fails.
     * Completes at once when every one of them already has (the common case: nothing is sent).
     */
    public CompletableFuture<Void> acknowledgedBy(Collection<String> brokers) {
        CompletableFuture<?>[] pending = new CompletableFuture<?>[brokers.size()];
        int count = 0;
        for (String address : brokers) {
            CompletableFuture<Void> ack = acknowledged.get(address);
            if (ack == null) {
                ack = send(address);
            }
            if (ack != null && !(ack.isDone() && !ack.isCompletedExceptionally())) {
                pending[count++] = ack;
            }
        }
        return count == 0 ? CompletableFuture.completedFuture(null)
                : CompletableFuture.allOf(Arrays.copyOf(pending, count));
    }

    /** Sends a heartbeat to {@code address}; returns its acknowledgement, or null if there is nothing to announce. */
    private @Nullable CompletableFuture<Void> send(String address) {
        Set<String> groups = producerGroups.get();
        List<ConsumerGroup> consumers = consumerGroups.get();
        if (groups.isEmpty() && consumers.isEmpty()) {
            return null;
        }
        announced.add(address);
        CompletableFuture<Void> ack = acknowledged.computeIfAbsent(address, a -> new CompletableFuture<>());
        byte[] body = HeartbeatBody.encode(clientId, groups, consumers);
        remoting.invoke(address, OutboundFrame.request(RequestCode.HEART_BEAT, CommandHeader.EMPTY, body),
                requestTimeout).whenComplete((response, error) -> {
                    if (error != null || response.code() != ResponseCode.SUCCESS) {
                        announced.remove(address);
                        acknowledged.remove(address, ack);
                        String reason = error != null ? error.getMessage() : response.code() + " " + response.remark();
                        ack.completeExceptionally(new IllegalStateException("heartbeat to " + address + " failed: "
                                + reason));
                        log.debug("heartbeat to {} failed: {}", address, reason);
                    } else {
                        ack.complete(null);
                    }
                });
        return ack;
    }

    /**
     * Withdraws the consumer group {@code wireGroup} from each of {@code brokers}, so that the other
     * members are told at once and take its queues over; completes when every broker answered or
     * failed (failures are logged: brokers forget a silent client after 120 s anyway).
     */
    public CompletableFuture<Void> unregisterConsumer(Collection<String> brokers, String wireGroup, Duration wait) {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (String address : brokers) {
            pending.add(remoting.invoke(address, OutboundFrame.request(RequestCode.UNREGISTER_CLIENT, w -> {
                w.field("clientID", clientId);
                w.field("consumerGroup", wireGroup);
            }, null), wait).handle((response, error) -> {
                if (error != null || response.code() != ResponseCode.SUCCESS) {
                    log.debug("unregistering consumer group {} at {} failed: {}", wireGroup, address,
                            error != null ? error.getMessage() : response.code() + " " + response.remark());
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
    }

    /**
     * Withdraws each of {@code groups} from each of {@code brokers} and waits up to {@code wait} for
     * the answers. A broker that does not answer forgets the client anyway once its heartbeats stop,
     * so this only speeds up what brokers would do by themselves.
     */
    public void unregister(Collection<String> brokers, Set<String> groups, Duration wait) {
        List<CompletableFuture<RemotingCommand>> pending = new ArrayList<>();
        for (String address : brokers) {
            for (String group : groups) {
                pending.add(remoting.invoke(address, OutboundFrame.request(RequestCode.UNREGISTER_CLIENT, w -> {
                    w.field("clientID", clientId);
                    w.field("producerGroup", group);
                }, null), wait));
            }
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.debug("unregistering {} was interrupted", clientId);
        } catch (ExecutionException | TimeoutException e) {
            log.debug("unregistering {} did not finish cleanly: {}", clientId, e.toString());
        }
    }
}
