package dev.mq.spring.listener;

import dev.mq.core.consumer.MessageModel;
import dev.mq.core.consumer.MessageSelector;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.aot.hint.annotation.Reflective;
import org.springframework.messaging.handler.annotation.MessageMappingReflectiveProcessor;

/**
 * Marks a method of a Spring bean as the handler of one consumer group's messages of one topic. Each
 * annotated method gets its own container (a push consumer of the application's client), started
 * once the application context is refreshed and stopped, after its running handlers finished, before
 * the client closes. Any number of methods per bean; proxied beans (e.g. {@code @Transactional}) are
 * called through their proxy.
 *
 * <pre>{@code
 * @MQListener(topic = "Orders", group = "billing", selector = "created || paid")
 * void onOrder(Order order) { ... }
 * }</pre>
 *
 * <p><b>Parameters</b>: the payload (unannotated or {@code @Payload}), converted from the body by the
 * application's {@code MQPayloadConverter} (JSON through the application's Jackson mapper;
 * {@code String} as UTF-8, {@code byte[]} as is); {@link dev.mq.core.ReceivedMessage}; a Spring
 * {@code Message<T>}; {@code @Header} values named in {@link MQHeaders} or user properties by name;
 * {@code @Headers Map<String, Object>}. A batch listener takes one {@code List} of any of the payload
 * forms. A message whose payload cannot be converted is handed back for one re-delivery and then
 * dead-lettered, with a log line naming the method and the message.
 *
 * <p><b>Results</b>: {@code void} (success unless it throws), {@link dev.mq.core.consumer.ConsumeResult},
 * or a {@code CompletionStage} (handled without holding a thread: its completion is the outcome). A
 * batch listener returns {@code void} or {@link dev.mq.core.consumer.BatchResult}, or throws
 * {@link BatchListenerFailedException} naming what failed. Exceptions go to the
 * {@link MQListenerErrorHandler}, by default a re-delivery through the broker's delay levels and, after
 * {@link #maxReconsumeTimes()}, the group's dead-letter topic.
 *
 * <p>Every {@code String} attribute may hold {@code ${...}} placeholders, resolved against the
 * environment at start-up; one that does not resolve fails start-up naming the method. Attributes
 * left empty take the {@code mq.consumer.*} defaults (see {@code docs/configuration.md}).
 *
 * <p>For AOT and native images the annotated methods are registered for invocation, and their payload
 * and return types for binding (as Spring does for {@code @MessageMapping} methods); payload types a
 * listener reaches only through a converter of its own are the application's to register.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(MessageMappingReflectiveProcessor.class)
public @interface MQListener {

    /**
     * The container's id in the {@link MQListenerRegistry}; default: the group. Unique within the
     * application.
     */
    String id() default "";

    /** The topic (required). */
    String topic();

    /**
     * The consumer group (required). One group is one consumer: two listeners of one application
     * cannot share a group.
     */
    String group();

    /**
     * Which messages of the topic: a tag expression ({@code "created || paid"}, {@code "*"} for all,
     * the default) or, with {@link #selectorType()} {@code SQL92}, a condition over properties.
     */
    String selector() default "*";

    /** How {@link #selector()} is read; default tags. */
    MessageSelector.Type selectorType() default MessageSelector.Type.TAG;

    /** Clustering (default: the group's members share the queues) or broadcasting (each reads all). */
    MessageModel mode() default MessageModel.CLUSTERING;

    /** Consume each queue in order, one message at a time; a failure is retried in place. */
    boolean orderly() default false;

    /** Hand the method up to {@link #batchSize()} messages of one queue at once, as a {@code List}. */
    boolean batch() default false;

    /** Handler threads (1..1024); default {@code mq.consumer.concurrency}. */
    String concurrency() default "";

    /** Re-deliveries before the dead-letter topic (0..1000); default {@code mq.consumer.max-reconsume-times}. */
    String maxReconsumeTimes() default "";

    /** Most messages per call of a batch listener (1..1024); default {@code mq.consumer.batch-size}. */
    String batchSize() default "";

    /**
     * Where a new group starts: {@code LAST_OFFSET}, {@code FIRST_OFFSET}, or an ISO-8601 instant
     * ({@code 2026-01-31T00:00:00Z}); default {@code mq.consumer.consume-from} (last offset). Applies
     * only to queues the group has never committed an offset for.
     */
    String consumeFrom() default "";

    /** {@code true} or {@code false}: start with the context; default {@code mq.consumer.auto-startup} (true). */
    String autoStartup() default "";

    /** The name of the {@link MQListenerErrorHandler} bean for this listener; default the only one, if any. */
    String errorHandler() default "";
}
