package dev.mq.spring.listener;

import java.util.Collection;
import java.util.Optional;

/**
 * The {@link MQListener} containers of the application, by id: to list, stop, start, pause and resume
 * them at run time (for example while a downstream system is down). Inject it as a bean.
 */
public interface MQListenerRegistry {

    /** Every container, in the order the listeners were found. */
    Collection<MQListenerContainer> containers();

    /** The container {@code id}, if there is one. */
    Optional<MQListenerContainer> container(String id);

    /** @throws IllegalArgumentException if there is no container {@code id} */
    default MQListenerContainer require(String id) {
        return container(id).orElseThrow(() -> new IllegalArgumentException("no @MQListener container '" + id
                + "'; known: " + containers().stream().map(MQListenerContainer::id).toList()));
    }

    /** Starts container {@code id} (again, after a stop). @throws IllegalArgumentException if unknown */
    default void start(String id) {
        require(id).start();
    }

    /** Stops container {@code id} gracefully. @throws IllegalArgumentException if unknown */
    default void stop(String id) {
        require(id).stop();
    }

    /** Pauses pulling of container {@code id}. @throws IllegalArgumentException if unknown */
    default void pause(String id) {
        require(id).pause();
    }

    /** Resumes pulling of container {@code id}. @throws IllegalArgumentException if unknown */
    default void resume(String id) {
        require(id).resume();
    }
}
