package dev.mq.core.internal.transport;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Resolves host names for connections without blocking an event loop. Netty's default resolver calls
 * the JDK's blocking lookup on the event loop that opens the connection, where every other connection's
 * reads, writes and deadlines also run: one slow DNS answer (a NameServer given as a host name, as under
 * Kubernetes) would stall them all. Here the JDK's lookup — kept for its semantics: hosts file, the
 * system's name service, the JVM's DNS cache settings — runs on a lookup executor, bounded by the
 * connect timeout. IP literals need no lookup and are answered at once.
 */
final class OffLoopResolverGroup extends AddressResolverGroup<InetSocketAddress> {

    private final HostResolver resolver;
    private final Executor lookups;
    private final long timeoutNanos;

    OffLoopResolverGroup(HostResolver resolver, Executor lookups, long timeoutNanos) {
        this.resolver = resolver;
        this.lookups = lookups;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor loop) {
        return new InetSocketAddressResolver(loop, new NameResolver(loop));
    }

    private final class NameResolver extends InetNameResolver {

        NameResolver(EventExecutor loop) {
            super(loop);
        }

        @Override
        protected void doResolve(String host, Promise<InetAddress> promise) {
            Promise<List<InetAddress>> all = executor().newPromise();
            all.addListener(f -> {
                if (f.isSuccess()) {
                    promise.trySuccess(all.getNow().get(0));
                } else {
                    promise.tryFailure(f.cause());
                }
            });
            doResolveAll(host, all);
        }

        @Override
        protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
            InetAddress literal = NetUtil.createInetAddressFromIpAddressString(host);
            if (literal != null) {
                promise.trySuccess(List.of(literal));
                return;
            }
            ScheduledFuture<?> timeout = executor().schedule(() -> promise.tryFailure(new UnknownHostException(
                    "resolving '" + host + "' took longer than the connect timeout of "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms")), timeoutNanos, TimeUnit.NANOSECONDS);
            try {
                lookups.execute(() -> {
                    try {
                        InetAddress[] addresses = resolver.resolve(host);
                        if (addresses == null || addresses.length == 0) {
                            promise.tryFailure(new UnknownHostException(host + ": no address"));
                        } else {
                            promise.trySuccess(List.of(addresses));
                        }
                    } catch (Exception | Error e) {
                        promise.tryFailure(e);
                    } finally {
                        timeout.cancel(false);
                    }
                });
            } catch (RejectedExecutionException e) { // the client is closing
                timeout.cancel(false);
                promise.tryFailure(new UnknownHostException("cannot resolve '" + host + "': the client is closing"));
            }
        }
    }
}
