package dev.mq.benchmarks.nullbroker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestHeaderTest {

    @Test
    void readsASendHeaderAsTheOfficialClientWritesIt() {
        RequestHeader h = parse("{\"code\":310,\"extFields\":{\"a\":\"group\",\"b\":\"Orders\",\"e\":\"3\",\"i\":"
                + "\"TAGS\\u0001x\\u0002KEYS\\u0001k\\\"q\\u0002\",\"m\":\"false\"},\"flag\":0,\"language\":\"JAVA\","
                + "\"opaque\":12345,\"serializeTypeCurrentRPC\":\"JSON\",\"version\":503}");

        assertThat(h.code).isEqualTo(310);
        assertThat(h.opaque).isEqualTo(12345);
        assertThat(h.isOneway()).isFalse();
        assertThat(h.queueId).isEqualTo("3");
    }

    @Test
    void readsARouteRequestAndAOnewayFlagWhateverTheFieldOrderAndSpacing() {
        RequestHeader route = parse("{ \"opaque\" : -7 , \"remark\":null, \"extFields\" : { \"topic\" : \"T-1\" },"
                + " \"nested\":{\"x\":[1,{\"y\":\"}\"}]}, \"code\" : 105 }");
        assertThat(route.code).isEqualTo(105);
        assertThat(route.opaque).isEqualTo(-7);
        assertThat(route.topic).isEqualTo("T-1");

        RequestHeader oneway = parse("{\"code\":310,\"flag\":2,\"opaque\":1,\"extFields\":{}}");
        assertThat(oneway.isOneway()).isTrue();
        assertThat(oneway.queueId).isNull();
    }

    @Test
    void theRouteItServesNamesItselfAsTheOnlyMaster() {
        String route = new String(NullBroker.routeJson("127.0.0.1:9876"), StandardCharsets.UTF_8);
        assertThat(route).contains("\"brokerAddrs\":{\"0\":\"127.0.0.1:9876\"}", "\"perm\":6", "\"writeQueueNums\":8");
    }

    private static RequestHeader parse(String json) {
        ByteBuf buf = Unpooled.wrappedBuffer(("xx" + json + "yy").getBytes(StandardCharsets.UTF_8));
        return RequestHeader.parse(buf, 2, 2 + json.length());
    }
}
