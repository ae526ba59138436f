package dev.mq.core.internal.consume;

import dev.mq.core.internal.transport.RemotingClient;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The client's timer seen as a Netty {@link Timer}, for parts that take one ({@link QueueLocks}). It
 * cannot be stopped from here: the client owns it and stops it when it closes.
 */
final class RemotingTimer implements Timer {

    private final RemotingClient remoting;

    RemotingTimer(RemotingClient remoting) {
        this.remoting = remoting;
    }

    @Override
    public Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
        return remoting.schedule(task, delay, unit);
    }

    @Override
    public Set<Timeout> stop() {
        throw new UnsupportedOperationException("the client's timer stops with the client");
    }
}
