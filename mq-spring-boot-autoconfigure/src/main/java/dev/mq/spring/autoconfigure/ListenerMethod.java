package dev.mq.spring.autoconfigure;

import dev.mq.core.ReceivedMessage;
import dev.mq.core.consumer.BatchResult;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.spring.listener.MQHeaders;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.ResolvableType;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.ValueConstants;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.util.ReflectionUtils;

/**
 * One {@code @MQListener} method, checked once at start-up: how each parameter is resolved from a
 * received message and what its result means. A signature it cannot serve fails start-up with a
 * message naming the method.
 */
final class ListenerMethod {

    /** What the method returns. */
    enum ResultKind {
        /** {@code void}: success unless it throws. */
        VOID,
        /** {@link ConsumeResult}. */
        CONSUME_RESULT,
        /** A {@link CompletionStage}: asynchronous. */
        STAGE,
        /** {@link BatchResult} of a batch listener. */
        BATCH_RESULT,
        /** Any other value: the reply when the message is a request, ignored otherwise. */
        REPLY
    }

    private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

    private final Object bean;
    private final Method invocable;
    private final String description;
    private final boolean batch;
    private final ResultKind result;
    private final List<Resolver> resolvers;
    /** How a batch listener's elements are made, or null for a single-message listener. */
    private final @Nullable BatchElement element;
    private final MQPayloadConverter converter;
    private final ConversionService conversion;

    private ListenerMethod(Object bean, Method method, boolean batch, MQPayloadConverter converter,
                           ConversionService conversion) {
        this.bean = bean;
        this.description = describe(method);
        this.batch = batch;
        this.converter = converter;
        this.conversion = conversion;
        // Through the proxy (transactions, security): the method as the proxy's class declares it.
        this.invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
        ReflectionUtils.makeAccessible(invocable);
        this.result = resultKind(method);
        this.element = batch ? batchElement(method) : null;
        this.resolvers = batch ? List.of() : resolvers(method);
    }

    /**
     * @throws IllegalStateException naming the method if its parameters or result cannot be served
     */
    static ListenerMethod of(Object bean, Method method, boolean batch, MQPayloadConverter converter,
                             ConversionService conversion) {
        return new ListenerMethod(bean, method, batch, converter, conversion);
    }

    /** {@code Class.method(ParameterTypes)}, as errors and logs name it. */
    static String describe(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "("
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "))
                + ")";
    }

    String description() {
        return description;
    }

    ResultKind result() {
        return result;
    }

    boolean isBatch() {
        return batch;
    }

    private IllegalStateException invalid(String problem) {
        return new IllegalStateException("@MQListener " + description + ": " + problem);
    }

    private ResultKind resultKind(Method method) {
        Class<?> type = method.getReturnType();
        if (batch) {
            if (type == void.class || type == Void.class) {
                return ResultKind.VOID;
            }
            if (type == BatchResult.class) {
                return ResultKind.BATCH_RESULT;
            }
            throw invalid("a batch listener returns void or BatchResult, not " + type.getSimpleName()
                    + " (CompletionStage results are for single-message listeners)");
        }
        if (type == void.class || type == Void.class) {
            return ResultKind.VOID;
        }
        if (type == ConsumeResult.class) {
            return ResultKind.CONSUME_RESULT;
        }
        if (CompletionStage.class.isAssignableFrom(type)) {
            return ResultKind.STAGE;
        }
        return ResultKind.REPLY;
    }

    // ---- parameters of a single-message listener

    /** Resolves one parameter from one message (and its headers, built once per message). */
    private interface Resolver {
        @Nullable Object resolve(ReceivedMessage message, MessageHeadersOf headers) throws ConversionFailure;
    }

    /** The headers of one message, built when a parameter first needs them. */
    static final class MessageHeadersOf {
        private final ReceivedMessage message;
        private @Nullable Map<String, Object> map;

        MessageHeadersOf(ReceivedMessage message) {
            this.message = message;
        }

        Map<String, Object> map() {
            Map<String, Object> m = map;
            if (m == null) {
                m = headersOf(message);
                map = m;
            }
            return m;
        }
    }

    private List<Resolver> resolvers(Method method) {
        List<Resolver> list = new ArrayList<>();
        String payloadParameter = null;
        for (int i = 0; i < method.getParameterCount(); i++) {
            MethodParameter parameter = new MethodParameter(method, i);
            parameter.initParameterNameDiscovery(NAMES);
            Class<?> type = parameter.getParameterType();
            Header header = parameter.getParameterAnnotation(Header.class);
            if (header != null) {
                list.add(headerResolver(parameter, header));
            } else if (parameter.hasParameterAnnotation(Headers.class)) {
                if (!Map.class.isAssignableFrom(type) && type != MessageHeaders.class) {
                    throw invalid("@Headers parameter " + i + " must be a Map<String, Object> or MessageHeaders, not "
                            + type.getSimpleName());
                }
                list.add(type == MessageHeaders.class
                        ? (m, h) -> new MessageHeaders(h.map())
                        : (m, h) -> h.map());
            } else if (type == ReceivedMessage.class) {
                list.add((m, h) -> m);
            } else if (type == MessageHeaders.class) {
                list.add((m, h) -> new MessageHeaders(h.map()));
            } else if (Message.class.isAssignableFrom(type)) {
                Type payloadType = messagePayloadType(ResolvableType.forMethodParameter(parameter));
                list.add((m, h) -> new GenericMessage<>(payload(m, payloadType), h.map()));
            } else {
                checkPayloadType(parameter, type);
                if (payloadParameter != null) {
                    throw invalid("parameters " + payloadParameter + " and " + i + " (" + type.getSimpleName()
                            + ") are both payloads: a listener has one payload; annotate the others with @Header");
                }
                payloadParameter = i + " (" + type.getSimpleName() + ")";
                Type payloadType = parameter.getGenericParameterType();
                list.add((m, h) -> payload(m, payloadType));
            }
        }
        return List.copyOf(list);
    }

    private void checkPayloadType(MethodParameter parameter, Class<?> type) {
        Payload payload = parameter.getParameterAnnotation(Payload.class);
        if (payload != null && !payload.expression().isEmpty()) {
            throw invalid("@Payload expressions are not supported (parameter " + parameter.getParameterIndex() + ")");
        }
        String pkg = type.getPackageName();
        // Types of the messaging infrastructure are never bodies: most likely a parameter this
        // listener cannot supply, which would otherwise fail on every message.
        if (pkg.startsWith("dev.mq.core") || pkg.equals("dev.mq.spring.listener") || pkg.startsWith("org.springframework.")
                || type == Object.class || type == Thread.class) {
            throw invalid("parameter " + parameter.getParameterIndex() + " of type " + type.getSimpleName()
                    + " cannot be resolved: a listener takes its payload, ReceivedMessage, Message<T>, @Header values"
                    + " and @Headers Map<String, Object>");
        }
    }

    private Resolver headerResolver(MethodParameter parameter, Header header) {
        String name = !header.name().isEmpty() ? header.name() : header.value();
        if (name.isEmpty()) {
            name = parameter.getParameterName();
            if (name == null) {
                throw invalid("@Header parameter " + parameter.getParameterIndex()
                        + " has no name: write @Header(MQHeaders.KEYS), @Header(\"tenant\"), ...");
            }
        }
        String headerName = name;
        boolean required = header.required() && !parameter.isOptional();
        String defaultValue = header.defaultValue().equals(ValueConstants.DEFAULT_NONE) ? null : header.defaultValue();
        TypeDescriptor target = new TypeDescriptor(parameter);
        return (m, h) -> {
            Object value = h.map().get(headerName);
            if (value == null) {
                value = defaultValue;
            }
            if (value == null) {
                if (required) {
                    throw new ConversionFailure("the message has no header '" + headerName + "'");
                }
                return null;
            }
            if (target.getType() == String.class && value instanceof Collection<?> keys) {
                return keys.stream().map(String::valueOf).collect(Collectors.joining(" "));
            }
            try {
                return conversion.convert(value, TypeDescriptor.forObject(value), target);
            } catch (ConversionException e) {
                throw new ConversionFailure("header '" + headerName + "' value '" + value + "' is not a "
                        + target.getType().getSimpleName() + ": " + e.getMessage());
            }
        };
    }

    private static Type messagePayloadType(ResolvableType messageType) {
        ResolvableType payload = messageType.as(Message.class).getGeneric(0);
        return payload.resolve() == null || payload.resolve() == Object.class ? byte[].class : typeOf(payload);
    }

    /** The type to read a body as: a declared type as written (with its generics), a type variable as resolved. */
    private static Type typeOf(ResolvableType type) {
        return type.getType() instanceof java.lang.reflect.TypeVariable<?> ? type.toClass() : type.getType();
    }

    // ---- a batch listener's one List parameter

    /** How each element of a batch listener's list is made from a message. */
    private enum ElementKind {
        RECEIVED, MESSAGE, PAYLOAD
    }

    /** What each element of a batch listener's list is, and the payload type it is read as. */
    private record BatchElement(ElementKind kind, Type payloadType) {
    }

    private BatchElement batchElement(Method method) {
        if (method.getParameterCount() != 1 || !List.class.isAssignableFrom(method.getParameterTypes()[0])
                && method.getParameterTypes()[0] != Collection.class) {
            throw invalid("a batch listener takes exactly one List parameter (List<Order>, List<ReceivedMessage>,"
                    + " List<Message<Order>>); headers are on each ReceivedMessage or Message");
        }
        MethodParameter parameter = new MethodParameter(method, 0);
        ResolvableType element = ResolvableType.forMethodParameter(parameter).getGeneric(0);
        Class<?> raw = element.resolve();
        if (raw == null || raw == Object.class) {
            throw invalid("the batch parameter's element type is unknown: declare it, e.g. List<Order>");
        }
        if (raw == ReceivedMessage.class) {
            return new BatchElement(ElementKind.RECEIVED, byte[].class);
        }
        if (Message.class.isAssignableFrom(raw)) {
            return new BatchElement(ElementKind.MESSAGE, messagePayloadType(element));
        }
        checkPayloadType(parameter, raw);
        return new BatchElement(ElementKind.PAYLOAD, typeOf(element));
    }

    /** A batch element for {@code message}. */
    Object element(ReceivedMessage message) throws ConversionFailure {
        BatchElement e = element;
        if (e == null) {
            throw new IllegalStateException(description + " is not a batch listener");
        }
        return switch (e.kind()) {
            case RECEIVED -> message;
            case MESSAGE -> new GenericMessage<>(payload(message, e.payloadType()), headersOf(message));
            case PAYLOAD -> payload(message, e.payloadType());
        };
    }

    // ---- invocation

    /** The arguments for {@code message}. @throws ConversionFailure if one cannot be made */
    @Nullable Object[] arguments(ReceivedMessage message) throws ConversionFailure {
        MessageHeadersOf headers = new MessageHeadersOf(message);
        @Nullable Object[] args = new Object[resolvers.size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = resolvers.get(i).resolve(message, headers);
        }
        return args;
    }

    /** Calls the method. @throws Throwable what the method threw */
    @Nullable Object invoke(@Nullable Object... args) throws Throwable {
        try {
            return invocable.invoke(bean, args);
        } catch (InvocationTargetException e) {
            throw e.getTargetException();
        }
    }

    private Object payload(ReceivedMessage message, Type type) throws ConversionFailure {
        try {
            return converter.fromBody(message.body(), message.property(MQPayloadConverter.CONTENT_TYPE_PROPERTY), type);
        } catch (RuntimeException e) {
            throw new ConversionFailure("payload is not a " + type.getTypeName() + ": " + e.getMessage());
        }
    }

    /** Every header of {@code message}: its user properties and the {@link MQHeaders}. */
    static Map<String, Object> headersOf(ReceivedMessage message) {
        Map<String, Object> headers = new LinkedHashMap<>(message.properties());
        headers.put(MQHeaders.TOPIC, message.topic());
        headers.put(MQHeaders.MESSAGE_ID, message.messageId());
        if (message.tags() != null) {
            headers.put(MQHeaders.TAGS, message.tags());
        }
        headers.put(MQHeaders.KEYS, message.keys());
        headers.put(MQHeaders.QUEUE, message.queue());
        headers.put(MQHeaders.QUEUE_ID, message.queue().queueId());
        headers.put(MQHeaders.BROKER_NAME, message.queue().brokerName());
        headers.put(MQHeaders.QUEUE_OFFSET, message.queueOffset());
        headers.put(MQHeaders.RECONSUME_TIMES, message.reconsumeTimes());
        headers.put(MQHeaders.BORN_TIMESTAMP, message.bornTimestamp());
        headers.put(MQHeaders.STORE_TIMESTAMP, message.storeTimestamp());
        if (message.offsetMessageId() != null) {
            headers.put(MQHeaders.OFFSET_MESSAGE_ID, message.offsetMessageId());
        }
        if (message.bornHost() != null) {
            headers.put(MQHeaders.BORN_HOST, message.bornHost());
        }
        return headers;
    }

    /** A message this method cannot be given: its payload or a required header cannot be made. */
    static final class ConversionFailure extends Exception {
        ConversionFailure(String message) {
            super(message, null, false, false);
        }
    }
}
