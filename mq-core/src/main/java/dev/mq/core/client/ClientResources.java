package dev.mq.core.client;

import dev.mq.core.Clock;
import dev.mq.core.ConfigException;
import dev.mq.core.internal.client.CallbackExecutor;
import dev.mq.core.internal.transport.RemotingClient;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The threads and time a client runs on: the event loops that serve every connection, the timer
 * wheel that holds every deadline, the executor that runs completions and hooks, and the
 * {@link Clock} deadlines are read against. Built once, they may serve several
 * {@link MQClientInstance}s, so that a process talking to several clusters (or namespaces) does not
 * multiply its threads.
 *
 * <p><b>Owned or borrowed.</b> A client built without {@link MQClientInstance.Builder#resources}
 * creates its own resources (from its {@code ioThreads} and {@code callbackExecutor} settings) and
 * shuts them down in its {@code close()}. Resources given to a client are borrowed: the client never
 * shuts them down; the application calls {@link #close()} once every client using them has closed.
 *
 * <pre>{@code
 * ClientResources resources = ClientResources.builder().name("shared").ioThreads(2).build();
 * MQClientInstance orders = MQClientInstance.builder().nameServer("ns-a:9876").resources(resources).build();
 * MQClientInstance audit = MQClientInstance.builder().nameServer("ns-b:9876").resources(resources).build();
 * ...
 * orders.close();
 * audit.close();
 * resources.close();   // the threads end here
 * }</pre>
 *
 * <p>Threads start on first use and are daemons: {@code mq-io-<name>-N} (event loops),
 * {@code mq-timer-<name>} (the timer wheel) and {@code mq-callback-<name>-N} (the default callback
 * pool).
 */
public final class ClientResources implements AutoCloseable {

    /** How long close() lets busy callback threads finish before it runs the queued completions itself. */
    private static final Duration CALLBACK_DRAIN_WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final String name;
    private final EventLoopGroup eventLoops;
    private final Timer timer;
    private final Clock clock;
    private final CallbackExecutor callbacks;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ClientResources(Builder builder) {
        this.name = builder.name != null ? builder.name : "resources-" + SEQUENCE.incrementAndGet();
        this.clock = builder.clock;
        this.callbacks = CallbackExecutor.create(builder.callbackExecutor, name);
        this.eventLoops = new MultiThreadIoEventLoopGroup(builder.ioThreads,
                new DefaultThreadFactory("mq-io-" + name, true), NioIoHandler.newFactory());
        // 10 ms ticks: deadlines are tens of milliseconds at the least, and a finer wheel costs a busier thread.
        this.timer = builder.timer != null ? builder.timer
                : new HashedWheelTimer(new DefaultThreadFactory("mq-timer-" + name, true), 10, TimeUnit.MILLISECONDS,
                        512);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Resources with the defaults: one event-loop thread, a 10 ms timer wheel, the owned callback
     * pool, the system clock.
     */
    public static ClientResources create() {
        return builder().build();
    }

    /** The part of the thread names that tells these resources apart. */
    public String name() {
        return name;
    }

    /** The event loops every connection of every client on these resources is served on. */
    public EventLoopGroup eventLoopGroup() {
        return eventLoops;
    }

    /** The timer wheel every deadline is set on; it fires on {@link #clock()}'s time. */
    public Timer timer() {
        return timer;
    }

    /** What every deadline is read against. */
    public Clock clock() {
        return clock;
    }

    /**
     * Where completions, hooks and server-initiated requests run: never an event loop while these
     * resources are open, and no task is ever dropped (see {@link MQClientInstance.Builder#callbackExecutor}).
     */
    public Executor callbackExecutor() {
        return callbacks;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Stops the event loops, then the timer — every deadline it still held is settled now (a request
     * fails with SHUTDOWN, a waiting send learns that its client closed) — then the callback pool,
     * once the completions queued for it have run (after 10 s the rest run on the calling thread).
     * An application executor given to the builder is left running: its owner shuts it down.
     * Close every client using these resources first. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        eventLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        RemotingClient.settle(timer.stop());
        callbacks.close(CALLBACK_DRAIN_WAIT);
    }

    @Override
    public String toString() {
        return "ClientResources[" + name + (closed.get() ? ", closed" : "") + "]";
    }

    /**
     * Settings of {@link ClientResources}; every one has a default. A refused setting throws a
     * {@link ConfigException} naming the builder method.
     */
    public static final class Builder {

        /** Default {@link #ioThreads}: 1. */
        public static final int DEFAULT_IO_THREADS = 1;

        private @Nullable String name;
        private int ioThreads = DEFAULT_IO_THREADS;
        private @Nullable Executor callbackExecutor;
        private Clock clock = Clock.system();
        private @Nullable Timer timer;

        private Builder() {
        }

        /** Names the threads ({@code mq-io-<name>-N}, ...); default {@code resources-<n>}. */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new ConfigException("name", name, "client resources name must not be blank");
            }
            this.name = name;
            return this;
        }

        /** Event-loop threads for all connections; default 1, enough for tens of thousands of sends per second. */
        public Builder ioThreads(int threads) {
            if (threads < 1) {
                throw new ConfigException("ioThreads", threads, "io threads must be at least 1, got " + threads);
            }
            this.ioThreads = threads;
            return this;
        }

        /**
         * Where completions, hooks and server-initiated requests run; default an owned pool of
         * {@code max(2, cores)} daemon threads named {@code mq-callback-<name>-N}. A given executor
         * is not shut down by {@link ClientResources#close()}; see
         * {@link MQClientInstance.Builder#callbackExecutor} for what happens to tasks it rejects.
         */
        public Builder callbackExecutor(Executor executor) {
            if (executor == null) {
                throw new ConfigException("callbackExecutor", null,
                        "callback executor is null: leave it unset for the default pool");
            }
            this.callbackExecutor = executor;
            return this;
        }

        /**
         * What deadlines are read against; default {@link Clock#system()}. A clock other than the
         * system's needs a {@link #timer(Timer)} that fires on its time, as tests do to run deadlines
         * without sleeping.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The timer wheel deadlines are set on, instead of the default one ({@code mq-timer-<name>},
         * 10 ms ticks). It must fire on the {@link #clock(Clock)}'s time. {@link ClientResources#close()}
         * stops it like the default one.
         */
        public Builder timer(Timer timer) {
            this.timer = Objects.requireNonNull(timer, "timer");
            return this;
        }

        public ClientResources build() {
            if (clock != Clock.system() && timer == null) {
                throw new ConfigException("timer", null, "a clock other than Clock.system() needs a timer that fires"
                        + " on its time: set timer(...) as well");
            }
            return new ClientResources(this);
        }
    }
}
