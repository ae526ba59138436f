package dev.mq.core.internal.protocol;

import dev.mq.core.MQException;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;

/**
 * Reads the {@link TopicRouteData} JSON a name server returns, in the standard form and in
 * fastjson's form with unquoted integer map keys.
 */
public final class RouteCodec {

    /** How much of a bad body an error message quotes. */
    private static final int EXCERPT_CHARS = 200;

    private RouteCodec() {
    }

    /**
     * Parses a route body.
     *
     * @throws MQException {@link MQException.Reason#NO_ROUTE} if the body is empty or not a route:
     *                     the name server answered, so it is not a connection problem, but no usable
     *                     route came of it
     */
    public static TopicRouteData decode(byte[] json) {
        if (json == null || json.length == 0) {
            throw new MQException(MQException.Reason.NO_ROUTE, "the name server returned an empty topic route body");
        }
        TopicRouteData route;
        try {
            route = ProtocolJson.MAPPER.readValue(json, TopicRouteData.class);
        } catch (JacksonException e) {
            throw new MQException(MQException.Reason.NO_ROUTE, "cannot read the topic route from the name server ("
                    + e.getOriginalMessage() + "); body starts with: " + excerpt(json), e);
        }
        if (route == null) {
            throw new MQException(MQException.Reason.NO_ROUTE,
                    "the name server returned a null topic route: " + excerpt(json));
        }
        return route;
    }

    private static String excerpt(byte[] json) {
        String text = new String(json, 0, Math.min(json.length, EXCERPT_CHARS * 4), StandardCharsets.UTF_8);
        return text.length() > EXCERPT_CHARS ? text.substring(0, EXCERPT_CHARS) + "..." : text;
    }
}
