package dev.mq.spring.autoconfigure;

import dev.mq.core.client.ClientState;
import dev.mq.core.client.MQClientInstance;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the {@link MQClientInstance} with the application context and closes it on shutdown:
 * producers stop taking sends, wait for in-flight sends up to their shutdown timeout, and every
 * future completes. It stops after the web server (lower phase), so requests still being served
 * can send.
 */
public class MQClientLifecycle implements SmartLifecycle {

    /** Below the web server's graceful-shutdown and start/stop phases. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final MQClientInstance client;

    public MQClientLifecycle(MQClientInstance client) {
        this.client = client;
    }

    @Override
    public void start() {
        if (client.state() == ClientState.CREATE_JUST) {
            client.start();
        }
    }

    @Override
    public void stop() {
        client.close();
    }

    @Override
    public boolean isRunning() {
        return client.state() == ClientState.RUNNING;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
