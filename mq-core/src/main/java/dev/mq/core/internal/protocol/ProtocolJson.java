package dev.mq.core.internal.protocol;

import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the protocol package, configured for what RocketMQ servers write (their
 * fastjson output is not always standard JSON). A mapper is thread-safe and costly to build.
 */
final class ProtocolJson {

    static final JsonMapper MAPPER = JsonMapper.builder()
            // fastjson writes integer map keys unquoted: {"brokerAddrs":{0:"host:port"}}.
            .enable(JsonReadFeature.ALLOW_UNQUOTED_PROPERTY_NAMES)
            // Servers add fields across versions (enableActingMaster, zoneName, ...).
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // fastjson leaves out nulls and defaults; a missing int means 0.
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private ProtocolJson() {
    }
}
