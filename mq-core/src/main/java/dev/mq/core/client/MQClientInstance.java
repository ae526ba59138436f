package dev.mq.core.client;

import dev.mq.core.Clock;
import dev.mq.core.ConfigException;
import dev.mq.core.MQException;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.ConsumerListener;
import dev.mq.core.consumer.MessageListener;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.core.internal.client.ClientServices;
import dev.mq.core.internal.client.Heartbeats;
import dev.mq.core.internal.client.InboundRequests;
import dev.mq.core.internal.client.ReplyRouter;
import dev.mq.core.internal.consume.ClientConsumers;
import dev.mq.core.internal.consume.ConsumerAdminRequests;
import dev.mq.core.internal.consume.DefaultPushConsumer;
import dev.mq.core.internal.protocol.HeartbeatBody;
import dev.mq.core.internal.protocol.HostAddress;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.Validation;
import dev.mq.core.internal.route.NameServerClient;
import dev.mq.core.internal.route.TopicRoutes;
import dev.mq.core.internal.send.DefaultProducer;
import dev.mq.core.internal.send.TransactionChecks;
import dev.mq.core.internal.transport.Credentials;
import dev.mq.core.internal.transport.HostAndPort;
import dev.mq.core.internal.transport.RemotingClient;
import dev.mq.core.internal.transport.RemotingConfig;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to one RocketMQ cluster: the transport, the route cache, heartbeats, and the
 * producers created from it. Create one per cluster (and namespace); instances never share routes,
 * connections or producers, so two instances pointed at different clusters cannot interfere. They
 * may share threads: see {@link ClientResources} and {@link Builder#resources}.
 *
 * <pre>{@code
 * MQClientInstance client = MQClientInstance.builder().nameServer("127.0.0.1:9876").build();
 * client.start();
 * Producer producer = client.newProducer(ProducerConfig.builder().group("orders").build());
 * ...
 * client.close();   // drains and closes producers, unregisters, closes connections
 * }</pre>
 *
 * <p>Lifecycle: {@code CREATE_JUST -> RUNNING -> SHUTDOWN}, or {@code CREATE_JUST -> START_FAILED};
 * every transition is atomic and checked.
 */
public final class MQClientInstance implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MQClientInstance.class);

    private final Builder config;
    private final String clientId;
    private final AtomicReference<ClientState> state = new AtomicReference<>(ClientState.CREATE_JUST);
    /** Serialises start and the start of close; never held while waiting for sends. */
    private final Object lifecycle = new Object();
    private final List<DefaultProducer> producers = new CopyOnWriteArrayList<>();
    private final List<DefaultPushConsumer> consumers = new CopyOnWriteArrayList<>();
    private final Services services = new Services();
    /** The resources' clock (known before start, so that producers created before it can read it). */
    private final Clock clock;
    /** Everything start() creates; set before the state turns RUNNING, so a thread that saw RUNNING sees it. */
    private volatile @Nullable Started started;

    private MQClientInstance(Builder config) {
        this.config = config;
        this.clock = config.resources != null ? config.resources.clock() : Clock.system();
        this.clientId = HostAddress.localText() + "@" + config.instanceName
                + (config.namespace == null ? "" : "@" + config.namespace);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the transport, route refresh and heartbeats. It never fails because a NameServer is
     * down: the first send reports that.
     *
     * <p>It also readies the first send by loading the route codec (JSON mapper, route classes, frame
     * encoder). In a fresh JVM this moves a few hundred milliseconds from the first send to
     * {@code start()}, so a first send with a short deadline does not fail for want of a route.
     * Connections still open with the first request.
     *
     * <p>The state turns RUNNING only once everything a send needs exists: a send racing this call
     * either fails at once with SHUTDOWN ("not started") or runs on a fully started client.
     *
     * @throws IllegalStateException if the client is not in CREATE_JUST
     */
    public void start() {
        synchronized (lifecycle) {
            if (state.get() != ClientState.CREATE_JUST) {
                throw new IllegalStateException("client " + clientId + " cannot start from state " + state.get());
            }
            try {
                started = createResources();
            } catch (RuntimeException | Error e) {
                state.set(ClientState.START_FAILED);
                throw e;
            }
            state.set(ClientState.RUNNING);
        }
        // In a fresh JVM, loading the route codec takes a few hundred milliseconds: done here rather
        // than on the first send, whose deadline it would eat. Connections still open with the first
        // request: a client that has not sent has not touched the network.
        TopicRoutes.loadCodec();
    }

    /** Creates the resources and services of a started client; releases what it made if it fails. */
    private Started createResources() {
        ClientResources resources;
        if (config.resources != null) {
            if (config.resources.isClosed()) {
                throw new IllegalStateException("client " + clientId + " cannot start: its " + config.resources
                        + " are closed");
            }
            resources = config.resources;
        } else {
            resources = config.ownResources.name(config.instanceName).build();
        }
        RemotingClient remoting = null;
        try {
            RemotingConfig remotingConfig = RemotingConfig.defaults()
                    .withConnectTimeout(config.connectTimeout)
                    .withSslContext(config.sslContext)
                    .withCredentials(config.credentials)
                    .withWriteStallTimeout(config.writeStallTimeout);
            InboundRequests inbound = new InboundRequests();
            remoting = new RemotingClient(config.instanceName, remotingConfig, inbound,
                    resources.callbackExecutor(), resources.eventLoopGroup(), resources.timer(), clock);
            NameServerClient nameServers = new NameServerClient(config.nameServers, remoting, config.nameServerTimeout);
            Heartbeats heartbeats = new Heartbeats(clientId, remoting, config.nameServerTimeout, this::producerGroups,
                    this::consumerGroups);
            ReplyRouter replies = new ReplyRouter(this::brokerNameOf);
            // Replies to this client's requests, on whichever connection the replier's broker holds.
            inbound.register(RequestCode.PUSH_REPLY_MESSAGE_TO_CLIENT, replies);
            TopicRoutes routes = new TopicRoutes(nameServers, resources.callbackExecutor(),
                    route -> heartbeats.sendToNew(route.masters().values()), config.topicIdleTimeout);
            // Brokers check back on half messages over any connection of the group's clients.
            inbound.register(RequestCode.CHECK_TRANSACTION_STATE, new TransactionChecks(remoting, routes,
                    this::producerOfWireGroup, config.namespace, config.nameServerTimeout));
            // The broker's requests to our consumers: a member joined or left (they rebalance soon), and
            // an administrator's running info, direct consumption and offset reset.
            ConsumerAdminRequests consumerRequests = new ConsumerAdminRequests(new ClientConsumers(consumers));
            for (int code : ConsumerAdminRequests.CODES) {
                inbound.register(code, consumerRequests);
            }
            long refresh = config.routeRefreshInterval.toMillis();
            long heartbeat = config.heartbeatInterval.toMillis();
            List<ScheduledFuture<?>> tasks = List.of(
                    remoting.scheduleAtFixedRate(this::refreshRoutes, refresh, refresh, TimeUnit.MILLISECONDS),
                    remoting.scheduleAtFixedRate(this::sendHeartbeats, heartbeat, heartbeat, TimeUnit.MILLISECONDS));
            return new Started(resources, remoting, nameServers, routes, heartbeats, replies, tasks);
        } catch (RuntimeException | Error e) {
            release(resources, remoting);
            throw e;
        }
    }

    /**
     * Creates a producer on this client. It may be created before {@link #start()} (as a dependency
     * injection container does); it sends once the client is RUNNING.
     */
    public Producer newProducer(ProducerConfig producerConfig) {
        if (producerConfig == null) {
            throw MQException.validation("producer config is null: build one with ProducerConfig.builder()");
        }
        ClientState current = state.get();
        if (current != ClientState.RUNNING && current != ClientState.CREATE_JUST) {
            throw new MQException(MQException.Reason.SHUTDOWN, "client " + clientId + " is " + current);
        }
        DefaultProducer producer = new DefaultProducer(producerConfig, services);
        producers.add(producer);
        Started running = started;
        if (state.get() == ClientState.RUNNING && running != null) {
            running.heartbeats.groupsChanged(knownBrokers().values());
        }
        return producer;
    }

    /**
     * Creates a push consumer on this client that hands each message to {@code listener}. It may be
     * created before {@link #start()}; it can start once the client is RUNNING.
     *
     * @throws MQException VALIDATION if an argument is null or this client already has a consumer of the
     *                     group; SHUTDOWN if the client is closed
     */
    public PushConsumer newPushConsumer(ConsumerConfig consumerConfig, MessageListener listener) {
        if (listener == null) {
            throw MQException.validation("message listener is null");
        }
        return newPushConsumer(consumerConfig, ConsumerListener.of(listener));
    }

    /**
     * Creates a push consumer with a listener of any form: {@link ConsumerListener#batch} or
     * {@link ConsumerListener#async} (or {@link ConsumerListener#of}).
     *
     * @throws MQException VALIDATION if an argument is null or this client already has a consumer of the
     *                     group; SHUTDOWN if the client is closed
     */
    public PushConsumer newPushConsumer(ConsumerConfig consumerConfig, ConsumerListener listener) {
        if (consumerConfig == null) {
            throw MQException.validation("consumer config is null: build one with ConsumerConfig.builder()");
        }
        if (listener == null) {
            throw MQException.validation("consumer listener is null");
        }
        ClientState current = state.get();
        if (current != ClientState.RUNNING && current != ClientState.CREATE_JUST) {
            throw new MQException(MQException.Reason.SHUTDOWN, "client " + clientId + " is " + current);
        }
        synchronized (consumers) {
            for (DefaultPushConsumer existing : consumers) {
                // One client id is one member of a group: two consumers of a group here would both own
                // the same queues and read each message twice.
                if (existing.config().group().equals(consumerConfig.group())) {
                    throw MQException.validation("consumer group '" + consumerConfig.group() + "' already has a"
                            + " consumer on client " + clientId + ": close it first, or use another client instance");
                }
            }
            DefaultPushConsumer consumer = new DefaultPushConsumer(consumerConfig, listener, services);
            consumers.add(consumer);
            return consumer;
        }
    }

    public ClientState state() {
        return Objects.requireNonNull(state.get());
    }

    /** The id brokers know this client by: {@code ip@instanceName}. */
    public String clientId() {
        return clientId;
    }

    /** The NameServer addresses, in failover order. */
    public List<String> nameServers() {
        return config.nameServers;
    }

    /** When a NameServer last answered a request, if one ever did. */
    public Optional<Instant> lastNameServerResponse() {
        Started running = started;
        return running == null ? Optional.empty() : running.nameServers.lastSuccess();
    }

    /** The last NameServer error (address and cause), or null if the last request succeeded. */
    public @Nullable String lastNameServerError() {
        Started running = started;
        return running == null ? null : running.nameServers.lastError();
    }

    /**
     * Asks the NameServers (in failover order) which brokers are registered: a live check for health
     * indicators. Fails with CONNECTION or TIMEOUT when no NameServer answers.
     */
    public CompletableFuture<ClusterStatus> clusterStatus() {
        Started running = started;
        if (state.get() != ClientState.RUNNING || running == null) {
            return CompletableFuture.failedFuture(new MQException(MQException.Reason.SHUTDOWN,
                    "client " + clientId + " is " + state.get()));
        }
        return running.nameServers.clusterMasters(ClusterStatus::new);
    }

    /** Broker name to master address, for every broker in a cached route. */
    public Map<String, String> knownBrokers() {
        Map<String, String> brokers = new TreeMap<>();
        Started running = started;
        if (running != null) {
            running.routes.snapshot().values().forEach(route -> brokers.putAll(route.masters()));
        }
        return brokers;
    }

    /** Topics with a cached route. */
    public Set<String> knownTopics() {
        Started running = started;
        return running == null ? Set.of() : Collections.unmodifiableSet(running.routes.snapshot().keySet());
    }

    /** Producers created on this client and not closed. */
    public List<Producer> producers() {
        return List.copyOf(producers);
    }

    /** Push consumers created on this client and not closed. */
    public List<PushConsumer> consumers() {
        return List.copyOf(consumers);
    }

    private void refreshRoutes() {
        Started running = started;
        if (state.get() == ClientState.RUNNING && running != null) {
            running.routes.refreshAll();
        }
    }

    private void sendHeartbeats() {
        Started running = started;
        if (state.get() == ClientState.RUNNING && running != null) {
            running.heartbeats.sendTo(knownBrokers().values());
        }
    }

    /** The name of the master broker at {@code address} in a cached route, else the address itself. */
    private String brokerNameOf(String address) {
        for (Map.Entry<String, String> broker : knownBrokers().entrySet()) {
            if (broker.getValue().equals(address)) {
                return broker.getKey();
            }
        }
        return address;
    }

    /** This client's producer of {@code wireGroup} (namespace included), or null. */
    private @Nullable DefaultProducer producerOfWireGroup(String wireGroup) {
        for (DefaultProducer p : producers) {
            if (p.wireGroup().equals(wireGroup) && p.isRunning()) {
                return p;
            }
        }
        return null;
    }

    private Set<String> producerGroups() {
        Set<String> groups = new TreeSet<>();
        for (DefaultProducer p : producers) {
            groups.add(p.wireGroup());
        }
        return groups;
    }

    /** The groups of the running consumers, each with its complete subscription set. */
    private List<HeartbeatBody.ConsumerGroup> consumerGroups() {
        List<HeartbeatBody.ConsumerGroup> groups = new ArrayList<>();
        for (DefaultPushConsumer c : consumers) {
            HeartbeatBody.ConsumerGroup group = c.heartbeatGroup();
            if (group != null) {
                groups.add(group);
            }
        }
        return groups;
    }

    /**
     * Closes every consumer (as {@link PushConsumer#close()}: handlers finish, offsets are committed), then
     * every producer (each stops taking sends and waits for its in-flight sends up to its
     * shutdown timeout), unregisters from the brokers, closes the connections and, if the client
     * owns its {@link ClientResources}, stops their threads. Every send future completes: with
     * borrowed resources, a send still waiting (for a route, its queue or a batch) completes on them
     * by its deadline at the latest, or when the application closes the resources. Idempotent.
     */
    @Override
    public void close() {
        ClientState previous;
        synchronized (lifecycle) { // a close racing start() closes the started client
            previous = state.getAndUpdate(s -> s == ClientState.RUNNING ? ClientState.SHUTDOWN : s);
        }
        Started running = started;
        if (previous != ClientState.RUNNING || running == null) {
            return;
        }
        // Consumers first: their handlers may still send with this client's producers.
        consumers.forEach(DefaultPushConsumer::close);
        Set<String> groups = producerGroups();
        // Real time, not the clock: this waits for other threads, and a test's manual clock never moves by itself.
        long start = System.nanoTime();
        List<DefaultProducer> closing = List.copyOf(producers);
        closing.forEach(DefaultProducer::stopIntake);
        for (DefaultProducer producer : closing) {
            producer.awaitDrained(start + producer.config().shutdownTimeout().toNanos());
        }
        running.tasks.forEach(t -> t.cancel(false));
        running.heartbeats.unregister(knownBrokers().values(), groups, config.unregisterTimeout);
        release(running.resources, running.remoting);
    }

    private void release(ClientResources resources, @Nullable RemotingClient remoting) {
        if (remoting != null) {
            remoting.close();
        }
        if (resources != config.resources) { // borrowed resources are the application's
            resources.close();
        }
    }

    /** What a started client runs on. */
    private record Started(ClientResources resources, RemotingClient remoting, NameServerClient nameServers,
                           TopicRoutes routes, Heartbeats heartbeats, ReplyRouter replies,
                           List<ScheduledFuture<?>> tasks) {
    }

    /** Everything start() created; only sends of a RUNNING client ask for it. */
    private Started started() {
        Started running = started;
        if (running == null) {
            throw new IllegalStateException("client " + clientId + " is " + state.get());
        }
        return running;
    }

    @Override
    public String toString() {
        return "MQClientInstance[" + clientId + ", nameServers=" + config.nameServers + ", state=" + state.get() + "]";
    }

    private final class Services implements ClientServices {

        @Override
        public String clientId() {
            return clientId;
        }

        @Override
        public String stableName() {
            return config.instanceNameSet ? config.instanceName : HostAddress.localText();
        }

        @Override
        public @Nullable String namespace() {
            return config.namespace;
        }

        @Override
        public RemotingClient remoting() {
            return started().remoting;
        }

        @Override
        public TopicRoutes routes() {
            return started().routes;
        }

        @Override
        public Executor callbackExecutor() {
            return started().resources.callbackExecutor();
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public boolean isRunning() {
            return state.get() == ClientState.RUNNING;
        }

        @Override
        public ReplyRouter replies() {
            return started().replies;
        }

        @Override
        public CompletableFuture<Void> announcedTo(Collection<String> brokers) {
            return started().heartbeats.acknowledgedBy(brokers);
        }

        @Override
        public void producerClosed(Producer producer) {
            producers.remove(producer);
        }

        @Override
        public void consumerGroupsChanged() {
            Started running = started;
            if (state.get() == ClientState.RUNNING && running != null) {
                running.heartbeats.groupsChanged(knownBrokers().values());
            }
        }

        @Override
        public CompletableFuture<Void> unregisterConsumer(String wireGroup) {
            Started running = started;
            if (running == null) {
                return CompletableFuture.completedFuture(null);
            }
            return running.heartbeats.unregisterConsumer(knownBrokers().values(), wireGroup, config.unregisterTimeout);
        }

        @Override
        public void consumerClosed(PushConsumer consumer) {
            consumers.remove(consumer);
        }
    }

    /** Settings of a {@link MQClientInstance}. */
    public static final class Builder {

        /** Default {@link #connectTimeout}: 3 s. */
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
        /** Default {@link #nameServerTimeout}: 3 s. */
        public static final Duration DEFAULT_NAME_SERVER_TIMEOUT = Duration.ofSeconds(3);
        /** Default {@link #routeRefreshInterval}: 30 s. */
        public static final Duration DEFAULT_ROUTE_REFRESH_INTERVAL = Duration.ofSeconds(30);
        /** Default {@link #heartbeatInterval}: 30 s. */
        public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
        /** Default {@link #writeStallTimeout}: 5 s. */
        public static final Duration DEFAULT_WRITE_STALL_TIMEOUT = RemotingConfig.defaults().writeStallTimeout();
        /** Default {@link #topicIdleTimeout}: 5 minutes. */
        public static final Duration DEFAULT_TOPIC_IDLE_TIMEOUT = Duration.ofMinutes(5);
        /** Default {@link #unregisterTimeout}: 3 s. */
        public static final Duration DEFAULT_UNREGISTER_TIMEOUT = Duration.ofSeconds(3);

        private List<String> nameServers = List.of();
        private String instanceName = ProcessHandle.current().pid() + "#" + System.nanoTime();
        private boolean instanceNameSet;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration nameServerTimeout = DEFAULT_NAME_SERVER_TIMEOUT;
        private Duration routeRefreshInterval = DEFAULT_ROUTE_REFRESH_INTERVAL;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration writeStallTimeout = DEFAULT_WRITE_STALL_TIMEOUT;
        private Duration topicIdleTimeout = DEFAULT_TOPIC_IDLE_TIMEOUT;
        private Duration unregisterTimeout = DEFAULT_UNREGISTER_TIMEOUT;
        /** What {@link #ioThreads} and {@link #callbackExecutor} set: the resources the client creates. */
        private final ClientResources.Builder ownResources = ClientResources.builder();
        private boolean ownResourcesSet;
        private @Nullable ClientResources resources;
        private @Nullable Supplier<SslContext> sslContext;
        private @Nullable Credentials credentials;
        private @Nullable String namespace;

        private Builder() {
        }

        /**
         * A RocketMQ namespace: topics and producer groups travel as {@code namespace%name}, so that
         * several environments can share one cluster. Default none.
         */
        public Builder namespace(@Nullable String namespace) {
            if (namespace != null && !namespace.matches("[a-zA-Z0-9_-]{1,64}")) {
                throw new ConfigException("namespace", namespace, "namespace '" + namespace
                        + "' is invalid: use 1 to 64 letters, digits, '_' or '-'");
            }
            this.namespace = namespace;
            return this;
        }

        /** One address or several separated by {@code ;} (for example {@code "ns1:9876;ns2:9876"}). */
        public Builder nameServer(String addresses) {
            if (addresses == null || addresses.isBlank()) {
                throw new ConfigException("nameServer", addresses,
                        "name server address is empty: expected host:port[;host:port...]");
            }
            List<String> parsed = new ArrayList<>();
            for (String part : addresses.split(";")) {
                String address = part.trim();
                if (address.isEmpty()) {
                    continue;
                }
                try {
                    HostAndPort.parse(address);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("nameServer", addresses, "invalid name server address '" + address
                            + "' in '" + addresses + "': " + e.getMessage() + " (expected host:port[;host:port...])");
                }
                parsed.add(address);
            }
            if (parsed.isEmpty()) {
                throw new ConfigException("nameServer", addresses,
                        "name server address '" + addresses + "' lists no host:port");
            }
            this.nameServers = List.copyOf(parsed);
            return this;
        }

        /**
         * Distinguishes client instances of one process; defaults to {@code pid#nanoTime}. A broadcasting
         * consumer keeps its offsets on disk under this name when it is set, else under the host's
         * address: set it when several processes on one host consume the same broadcasting group.
         */
        public Builder instanceName(String instanceName) {
            if (instanceName == null || instanceName.isBlank()) {
                throw new ConfigException("instanceName", instanceName, "instance name must not be blank");
            }
            this.instanceName = instanceName;
            this.instanceNameSet = true;
            return this;
        }

        /**
         * Runs the client on {@code resources} (event loops, timer, callback executor, clock), which
         * may be shared with other clients. The client borrows them: its {@code close()} leaves them
         * running, and the application closes them once every client using them has closed. Without
         * this setting the client creates its own from {@link #ioThreads} and
         * {@link #callbackExecutor}, which then cannot be combined with it.
         */
        public Builder resources(ClientResources resources) {
            if (resources == null) {
                throw new ConfigException("resources", null, "client resources are null: leave them unset for"
                        + " resources of the client's own");
            }
            this.resources = resources;
            return this;
        }

        /**
         * Where completions, hooks and server-initiated requests run; a shortcut for the
         * {@link ClientResources.Builder#callbackExecutor} of the resources the client creates. Default: an owned pool of
         * {@code max(2, cores)} daemon threads named {@code mq-callback-*}. A given executor (for
         * example one running virtual threads) is not shut down by the client.
         *
         * <p>A given executor may be bounded. A task it rejects — because it is full, or because it
         * was shut down before the client — is neither dropped nor run on an event loop: it runs on
         * a single daemon thread the client owns, {@code mq-callback-overflow-*}, started on the
         * first rejection and stopped when idle. So a full executor slows completions down but
         * loses none; callbacks should not block waiting for other sends, since the overflow thread
         * is shared. Once the client has closed, a rejected task runs on the thread that completed
         * it.
         */
        public Builder callbackExecutor(Executor executor) {
            ownResources.callbackExecutor(executor);
            ownResourcesSet = true;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout", "connect timeout");
            return this;
        }

        /** Deadline of each NameServer request (route lookups); default 3 s. */
        public Builder nameServerTimeout(Duration timeout) {
            this.nameServerTimeout = positive(timeout, "nameServerTimeout", "name server timeout");
            return this;
        }

        /** How often cached routes are re-fetched; default 30 s. */
        public Builder routeRefreshInterval(Duration interval) {
            this.routeRefreshInterval = positive(interval, "routeRefreshInterval", "route refresh interval");
            return this;
        }

        /**
         * How long a topic may go without a send before its route is dropped from the cache; default
         * 5 minutes. Cached routes are re-fetched at every route refresh and their brokers sent
         * heartbeats, so an application sending to many short-lived topics would otherwise refresh
         * all of them forever. Idleness is checked at each route refresh, so a topic is dropped
         * between this long and this long plus two refresh intervals after its last send. A send to
         * a dropped topic looks its route up again, as the first send did.
         */
        public Builder topicIdleTimeout(Duration timeout) {
            this.topicIdleTimeout = positive(timeout, "topicIdleTimeout", "topic idle timeout");
            return this;
        }

        /**
         * How long {@code close()} waits for the brokers to confirm that the client's producer groups
         * are unregistered; default 3 s. A broker that does not answer in time forgets the client
         * anyway once its heartbeats stop (after 120 s), so a shorter wait only speeds up close.
         */
        public Builder unregisterTimeout(Duration timeout) {
            this.unregisterTimeout = positive(timeout, "unregisterTimeout", "unregister timeout");
            return this;
        }

        /** How often every known master broker is sent a heartbeat; default 30 s (brokers expire clients after 120 s). */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = positive(interval, "heartbeatInterval", "heartbeat interval");
            return this;
        }

        /**
         * How long a connection may hold requests that its server reads none of before the client declares
         * it dead; default 5 s. A broker that stops reading (a frozen process, a network partition that
         * drops packets without a reset) closes its TCP window: requests then wait in the client, bounded by
         * the producers' in-flight caps, and after this long without the server reading a byte the
         * connection is closed and its requests fail with CONNECTION (retried on another broker where
         * allowed). A slow server that still reads is never cut off.
         */
        public Builder writeStallTimeout(Duration timeout) {
            this.writeStallTimeout = positive(timeout, "writeStallTimeout", "write stall timeout");
            return this;
        }

        /**
         * Event-loop threads for all connections; default 1, enough for tens of thousands of sends per
         * second. A shortcut for the {@link ClientResources.Builder#ioThreads} of the resources the
         * client creates.
         */
        public Builder ioThreads(int threads) {
            ownResources.ioThreads(threads);
            ownResourcesSet = true;
            return this;
        }

        /**
         * Signs every request with RocketMQ ACL credentials (the same signature serves ACL 1.0 on
         * 4.9/5.x brokers and ACL 2.0 users on 5.3+ brokers). A null or blank key is refused as
         * setting {@code credentials.accessKey} or {@code credentials.secretKey}.
         */
        public Builder credentials(String accessKey, String secretKey) {
            try {
                this.credentials = new Credentials(accessKey, secretKey);
            } catch (MQException e) {
                // Only a null or blank key is refused, so the value named is never a secret.
                boolean accessKeyRefused = accessKey == null || accessKey.isBlank();
                throw new ConfigException(accessKeyRefused ? "credentials.accessKey" : "credentials.secretKey",
                        accessKeyRefused ? accessKey : secretKey, e.getMessage());
            }
            return this;
        }

        /**
         * TLS for every connection (NameServers and brokers), or null for plaintext. Build it with
         * Netty's {@code SslContextBuilder.forClient()}: it verifies the server's certificate chain
         * and, since Netty 4.2, that the certificate names the host connected to (endpoint
         * identification {@code HTTPS}; for an IP address, an IP subject alternative name).
         */
        public Builder sslContext(@Nullable SslContext context) {
            this.sslContext = context == null ? null : () -> context;
            return this;
        }

        /**
         * TLS for every connection, from a source asked once for each new connection: when the
         * certificates are renewed, the source answers the new context and the connections opened from
         * then on use it, while open ones keep theirs. It is called on the connection's I/O thread, so
         * it must answer at once (hold the current context, for example in an {@code AtomicReference},
         * and swap it when the certificates change). A source that throws or answers null fails that
         * connection's requests with {@code CONNECTION}, naming the cause. A null source turns TLS off.
         */
        public Builder sslContextSupplier(@Nullable Supplier<SslContext> current) {
            this.sslContext = current;
            return this;
        }

        /**
         * Builds the client (not started). Every setting was checked when it was set; this checks
         * that they fit together.
         *
         * @throws ConfigException if no name server is set, or if {@link #resources} is combined
         *                         with {@link #ioThreads} or {@link #callbackExecutor}
         */
        public MQClientInstance build() {
            if (nameServers.isEmpty()) {
                throw new ConfigException("nameServer", null, "no name server configured: call nameServer(\"host:port\")");
            }
            if (resources != null && ownResourcesSet) {
                throw new ConfigException("resources", resources, "ioThreads and callbackExecutor configure the"
                        + " resources a client creates; with resources(...) given, set them on ClientResources.builder()"
                        + " instead");
            }
            return new MQClientInstance(this);
        }

        /** Positive and at most {@link Validation#MAX_TIMEOUT}: beyond it, nanosecond deadlines overflow. */
        private static Duration positive(Duration d, String setting, String what) {
            Validation.checkTimeoutSetting(setting, what, d, false);
            return d;
        }
    }
}
