package dev.mq.spring.autoconfigure;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * What a native image of an application with the starter needs beyond what Spring's AOT processing
 * finds by itself: the protocol bodies mq-core reads and writes with Jackson (records bound by
 * reflection) and the transaction log's DDL scripts. The {@code @MQListener} methods are covered by
 * the annotation ({@code @Reflective}); the application's payload types reached from them too, and
 * any other payload types remain the application's to declare.
 */
final class MQRuntimeHints implements RuntimeHintsRegistrar {

    /**
     * The mq-core classes whose JSON bodies go through Jackson: each one, if it is a record or enum,
     * and every record or enum nested in it are bound; the types their components name follow.
     * Names, not classes: these are internal to mq-core. {@code MQRuntimeHintsTest} fails when a
     * class of the protocol package uses the mapper and is not listed here.
     */
    static final List<String> JSON_TYPES = List.of(
            "dev.mq.core.internal.protocol.CheckClientBody",
            "dev.mq.core.internal.protocol.ClusterInfo",
            "dev.mq.core.internal.protocol.ConsumeDirectlyResult",
            "dev.mq.core.internal.protocol.ConsumerConnectionBody",
            "dev.mq.core.internal.protocol.ConsumerListBody",
            "dev.mq.core.internal.protocol.ConsumerRunningInfo",
            "dev.mq.core.internal.protocol.HeartbeatBody",
            "dev.mq.core.internal.protocol.LockBatchBody",
            "dev.mq.core.internal.protocol.OffsetsFile",
            "dev.mq.core.internal.protocol.RouteCodec",
            "dev.mq.core.internal.protocol.TopicRouteData");

    /** Read through {@code ClassPathResource} when the transaction log creates its table. */
    static final String TRANSACTION_LOG_DDL = "dev/mq/spring/autoconfigure/transaction-log/schema-*.sql";

    private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        for (String name : JSON_TYPES) {
            bind(hints, ClassUtils.resolveClassName(name, classLoader));
        }
        hints.resources().registerPattern(TRANSACTION_LOG_DDL);
    }

    private void bind(RuntimeHints hints, Class<?> type) {
        if (type.isRecord() || type.isEnum()) {
            bindings.registerReflectionHints(hints.reflection(), type);
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            bind(hints, nested);
        }
    }
}
