package dev.mq.core.internal.client;

import dev.mq.core.internal.transport.InboundRequestHandler;
import dev.mq.core.internal.transport.OutboundFrame;
import dev.mq.core.internal.transport.RemotingCommand;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The one place that routes requests a server initiates on the client's connections, by request
 * code: CHECK_TRANSACTION_STATE to the producers' transaction checks today, the consumer's
 * notifications (NOTIFY_CONSUMER_IDS_CHANGED, ...) later. A code nobody registered is refused as
 * RocketMQ's own client refuses it ({@link InboundRequestHandler#UNSUPPORTED}).
 */
public final class InboundRequests implements InboundRequestHandler {

    private final Map<Integer, InboundRequestHandler> handlers = new ConcurrentHashMap<>();

    /** Routes requests of {@code code} to {@code handler} from now on, replacing any earlier one. */
    public void register(int code, InboundRequestHandler handler) {
        handlers.put(code, handler);
    }

    @Override
    public @Nullable OutboundFrame handle(String address, RemotingCommand request) {
        return handlers.getOrDefault(request.code(), UNSUPPORTED).handle(address, request);
    }
}
