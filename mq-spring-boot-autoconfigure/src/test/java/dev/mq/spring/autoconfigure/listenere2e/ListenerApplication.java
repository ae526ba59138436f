package dev.mq.spring.autoconfigure.listenere2e;

import dev.mq.core.consumer.ConsumeResult;
import dev.mq.spring.listener.MQListenerErrorHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import dev.mq.test.MessageCollector;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** The application of the listener end-to-end tests: its listeners are in {@link Listeners}. */
@SpringBootApplication
public class ListenerApplication {

    /** Dead-letters an IllegalArgumentException at once, retries anything else. */
    @Bean
    MQListenerErrorHandler deadLetterNow() {
        return (id, message, error) -> error instanceof IllegalArgumentException ? ConsumeResult.DEAD_LETTER
                : ConsumeResult.RETRY;
    }

    /**
     * Observations with a minimal W3C-style propagation, as a tracing bridge does it: a send writes a
     * new trace id into the message properties ({@code traceparent}); a received message's
     * observation reads it back and makes it current while the handler runs ({@link #currentTraceId()}).
     */
    @Bean
    ObservationRegistry observationRegistry() {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new TraceHandler());
        return registry;
    }

    private static final ThreadLocal<String> CURRENT_TRACE = new ThreadLocal<>();
    /** The trace ids sends started, in order. */
    static final MessageCollector<String> SENT_TRACES = new MessageCollector<>();

    /** The trace id of the observation current on this thread, or null. */
    static String currentTraceId() {
        return CURRENT_TRACE.get();
    }

    static final class TraceHandler implements ObservationHandler<Observation.Context> {

        @Override
        @SuppressWarnings("unchecked")
        public void onStart(Observation.Context context) {
            if (context instanceof SenderContext<?> sender) {
                String traceId = UUID.randomUUID().toString().replace("-", "");
                ((SenderContext<Map<String, String>>) sender).getSetter()
                        .set((Map<String, String>) sender.getCarrier(), "traceparent", "00-" + traceId + "-0000000000000001-01");
                context.put("traceId", traceId);
                SENT_TRACES.add(traceId);
            } else if (context instanceof ReceiverContext<?> receiver) {
                ReceiverContext<Object> r = (ReceiverContext<Object>) receiver;
                String parent = r.getGetter().get(r.getCarrier(), "traceparent");
                if (parent != null) {
                    context.put("traceId", parent.split("-")[1]);
                }
            }
        }

        @Override
        public void onScopeOpened(Observation.Context context) {
            String traceId = context.get("traceId");
            if (traceId != null) {
                CURRENT_TRACE.set(traceId);
            }
        }

        @Override
        public void onScopeClosed(Observation.Context context) {
            CURRENT_TRACE.remove();
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }
}
