package dev.mq.core.internal.route;

import dev.mq.core.Clock;
import dev.mq.core.MQException;
import dev.mq.core.internal.protocol.ClusterInfo;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.ResponseCode;
import dev.mq.core.internal.protocol.RouteCodec;
import dev.mq.core.internal.protocol.TopicRouteData;
import dev.mq.core.internal.transport.CommandHeader;
import dev.mq.core.internal.transport.OutboundFrame;
import dev.mq.core.internal.transport.RemotingClient;
import dev.mq.core.internal.transport.RemotingCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Asks the NameServers for routes. Requests go to the current NameServer; one that cannot be
 * reached (connection error or timeout) or that refuses for now (SYSTEM_ERROR, SYSTEM_BUSY,
 * GO_AWAY) hands over to the next in the list, so a single NameServer outage costs at most one
 * failed request per lookup. Any other answer, TOPIC_NOT_EXIST included, is definite.
 */
public final class NameServerClient {

    private final List<String> addresses;
    private final RemotingClient remoting;
    private final Duration requestTimeout;
    private final AtomicInteger current = new AtomicInteger();
    private volatile @Nullable Instant lastSuccess;
    private volatile @Nullable String lastError;

    public NameServerClient(List<String> addresses, RemotingClient remoting, Duration requestTimeout) {
        this.addresses = List.copyOf(addresses);
        this.remoting = remoting;
        this.requestTimeout = requestTimeout;
    }

    List<String> addresses() {
        return addresses;
    }

    /** When a NameServer last answered, if ever. */
    /** The clock of the transport: what deadlines are read against. */
    Clock clock() {
        return remoting.clock();
    }

    public Optional<Instant> lastSuccess() {
        return Optional.ofNullable(lastSuccess);
    }

    /** The last NameServer error, or null. */
    public @Nullable String lastError() {
        return lastError;
    }

    /**
     * The route of {@code topic}: empty if the NameServers know no such topic (code 17), failed with
     * CONNECTION or TIMEOUT if none of them answered.
     */
    CompletableFuture<Optional<TopicRouteData>> route(String topic) {
        return request(routeRequest(topic), (address, response) -> decodeRoute(topic, address, response));
    }

    static OutboundFrame routeRequest(String topic) {
        return OutboundFrame.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, writer -> {
            writer.field("topic", topic);
            // Standard JSON (quoted map keys); also implied by our version >= 401 on 4.9.4+ servers.
            writer.field("acceptStandardJsonOnly", true);
        }, null);
    }

    /**
     * The cluster as the first NameServer that answers sees it: {@code result} receives that
     * NameServer's address and the master address of every registered broker, by broker name.
     */
    public <T> CompletableFuture<T> clusterMasters(BiFunction<String, Map<String, String>, T> result) {
        OutboundFrame request = OutboundFrame.request(RequestCode.GET_BROKER_CLUSTER_INFO, CommandHeader.EMPTY, null);
        return request(request, (address, response) -> {
            if (response.code() != ResponseCode.SUCCESS) {
                throw MQException.brokerRejected("name server " + address + " refused the cluster info: "
                        + ResponseCode.name(response.code()) + " " + response.remark(), response.code(), response.remark());
            }
            return result.apply(address, ClusterInfo.decode(response.body()).masters());
        });
    }

    /** Sends {@code request} to the current NameServer, moving down the list while they cannot be reached. */
    private <T> CompletableFuture<T> request(OutboundFrame request, BiFunction<String, RemotingCommand, T> decode) {
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(request, decode, current.get(), addresses.size(), result);
        return result;
    }

    private <T> void attempt(OutboundFrame request, BiFunction<String, RemotingCommand, T> decode, int index,
                             int attemptsLeft, CompletableFuture<T> result) {
        String address = addresses.get(Math.floorMod(index, addresses.size()));
        remoting.invoke(address, request, requestTimeout).whenComplete((response, error) -> {
            if (error != null) {
                lastError = address + ": " + error.getMessage();
                if (attemptsLeft > 1) {
                    current.compareAndSet(index, index + 1);
                    attempt(request, decode, index + 1, attemptsLeft - 1, result);
                } else {
                    result.completeExceptionally(unreachable(error));
                }
                return;
            }
            if (refusedForNow(response.code())) {
                lastError = address + ": " + ResponseCode.name(response.code()) + " " + response.remark();
                if (attemptsLeft > 1) {
                    current.compareAndSet(index, index + 1);
                    attempt(request, decode, index + 1, attemptsLeft - 1, result);
                    return;
                }
                // The last NameServer refused too: its answer, decoded below, names the refusal.
            } else {
                lastSuccess = Instant.ofEpochMilli(remoting.clock().millis());
                lastError = null;
            }
            try {
                result.complete(decode.apply(address, response));
            } catch (MQException e) {
                result.completeExceptionally(e);
            }
        });
    }

    /**
     * Answers that say nothing about the request, only about the NameServer's state (overloaded,
     * failing, or shutting down): another NameServer may well answer it.
     */
    private static boolean refusedForNow(int code) {
        return code == ResponseCode.SYSTEM_ERROR || code == ResponseCode.SYSTEM_BUSY || code == ResponseCode.GO_AWAY;
    }

    private MQException unreachable(Throwable last) {
        MQException.Reason reason = last instanceof MQException mq && mq.reason() == MQException.Reason.TIMEOUT
                ? MQException.Reason.TIMEOUT : MQException.Reason.CONNECTION;
        return new MQException(reason, "no name server of " + addresses + " answered: " + last.getMessage(), last);
    }

    private static Optional<TopicRouteData> decodeRoute(String topic, String address, RemotingCommand response) {
        if (response.code() == ResponseCode.TOPIC_NOT_EXIST) {
            return Optional.empty();
        }
        if (response.code() != ResponseCode.SUCCESS) {
            throw MQException.brokerRejected("name server " + address + " refused the route of topic '" + topic
                    + "': " + ResponseCode.name(response.code()) + " " + response.remark(),
                    response.code(), response.remark());
        }
        if (response.body() == null) {
            throw new MQException(MQException.Reason.NO_ROUTE,
                    "name server " + address + " sent an empty route for topic '" + topic + "'");
        }
        return Optional.of(RouteCodec.decode(response.body()));
    }
}
