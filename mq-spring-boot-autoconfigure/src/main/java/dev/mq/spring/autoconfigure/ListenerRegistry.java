package dev.mq.spring.autoconfigure;

import dev.mq.spring.listener.MQListener;
import dev.mq.spring.listener.MQListenerContainer;
import dev.mq.spring.listener.MQListenerRegistry;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * The application's {@code @MQListener} containers. As a {@link SmartLifecycle} it starts the
 * auto-startup containers once the context is refreshed (every bean a listener may use exists by
 * then) and, on shutdown, stops them all before the client closes ({@link #PHASE}): each stops
 * pulling, finishes its running handlers and commits exact offsets, so a redeploy consumes nothing
 * twice. The containers stop in parallel, so one slow handler does not hold up the others.
 */
final class ListenerRegistry implements MQListenerRegistry, SmartLifecycle, DisposableBean {

    /** After the client starts and before it closes; before the web server stops accepting requests. */
    static final int PHASE = MQClientLifecycle.PHASE + 1024;

    private final ListenerContainerFactory factory;
    private final Map<String, ListenerContainer> containers = new LinkedHashMap<>();
    private final Map<String, String> groups = new LinkedHashMap<>();
    private volatile boolean running;

    ListenerRegistry(ListenerContainerFactory factory) {
        this.factory = factory;
    }

    /**
     * Makes the container of {@code method}; starts it at once if the registry already runs and it
     * starts automatically.
     *
     * @throws IllegalStateException naming the method if it cannot be served, or its id or group is taken
     */
    synchronized void register(Object bean, Method method, MQListener annotation) {
        String description = ListenerMethod.describe(method);
        ListenerContainer container = factory.create(bean, method, annotation, (id, group) -> {
            ListenerContainer sameId = containers.get(id);
            String sameGroup = groups.get(group);
            if (sameGroup != null) {
                throw new IllegalStateException("@MQListener " + description + ": group '" + group + "' is taken by "
                        + sameGroup + ": a consumer group is one consumer of the application; give each listener"
                        + " its own group");
            }
            if (sameId != null) {
                throw new IllegalStateException("@MQListener " + description + ": id '" + id + "' is taken by "
                        + sameId.listenerMethod() + ": give each listener its own id");
            }
        });
        containers.put(container.id(), container);
        groups.put(container.group(), container.listenerMethod());
        if (running && container.isAutoStartup()) {
            startOne(container);
        }
    }

    @Override
    public synchronized Collection<MQListenerContainer> containers() {
        return List.copyOf(containers.values());
    }

    @Override
    public synchronized Optional<MQListenerContainer> container(String id) {
        return Optional.ofNullable(containers.get(id));
    }

    @Override
    public synchronized void start() {
        for (ListenerContainer container : containers.values()) {
            if (container.isAutoStartup()) {
                startOne(container);
            }
        }
        running = true;
    }

    private static void startOne(ListenerContainer container) {
        try {
            container.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("@MQListener " + container.listenerMethod() + " (container '"
                    + container.id() + "') could not start: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        List<ListenerContainer> stopping;
        synchronized (this) {
            running = false;
            stopping = new ArrayList<>(containers.values());
        }
        List<Thread> threads = new ArrayList<>();
        for (ListenerContainer container : stopping) {
            if (container.isRunning()) {
                Thread t = new Thread(container::stop, "mq-listener-stop-" + container.id());
                t.start();
                threads.add(t);
            }
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join(); // bounded by each consumer's shutdown timeout
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public synchronized void destroy() {
        containers.values().forEach(ListenerContainer::close);
    }
}
