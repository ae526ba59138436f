package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouteCodecTest {

    private static final String STANDARD = "{\"brokerDatas\":[{\"brokerAddrs\":{\"0\":\"127.0.0.1:10911\",\"1\":\"127.0.0.1:10921\"},"
            + "\"brokerName\":\"broker-a\",\"cluster\":\"DefaultCluster\",\"enableActingMaster\":false}],"
            + "\"filterServerTable\":{},\"queueDatas\":[{\"brokerName\":\"broker-a\",\"perm\":6,\"readQueueNums\":4,"
            + "\"topicSysFlag\":0,\"writeQueueNums\":4}]}";

    private static final String FASTJSON = "{\"brokerDatas\":[{\"brokerAddrs\":{0:\"10.0.0.1:10911\",1:\"10.0.0.2:10911\"},"
            + "\"brokerName\":\"broker-a\",\"cluster\":\"c1\",\"enableActingMaster\":true,\"zoneName\":\"z1\"},"
            + "{\"brokerAddrs\":{1:\"10.0.0.3:10911\"},\"brokerName\":\"broker-b\",\"cluster\":\"c1\"}],"
            + "\"filterServerTable\":{\"10.0.0.1:10911\":[\"fs1\"]},"
            + "\"orderTopicConf\":\"broker-a:4;broker-b:2\","
            + "\"queueDatas\":[{\"brokerName\":\"broker-a\",\"perm\":7,\"readQueueNums\":8,\"topicSysFlag\":0,\"writeQueueNums\":8},"
            + "{\"brokerName\":\"broker-b\",\"perm\":4,\"readQueueNums\":2,\"writeQueueNums\":2}],"
            + "\"topicQueueMappingByBroker\":{\"broker-a\":{\"bname\":\"broker-a\",\"epoch\":\"9007199254740993\",\"totalQueues\":8}}}";

    @Test
    void readsTheStandardForm() {
        TopicRouteData route = decode(STANDARD);

        assertThat(route.orderTopicConf()).isNull();
        assertThat(route.queueDatas()).containsExactly(new QueueData("broker-a", 4, 4, 6, 0));
        BrokerData broker = route.brokerDatas().get(0);
        assertThat(broker.cluster()).isEqualTo("DefaultCluster");
        assertThat(broker.brokerName()).isEqualTo("broker-a");
        assertThat(broker.brokerAddrs()).containsOnly(Map.entry(0L, "127.0.0.1:10911"), Map.entry(1L, "127.0.0.1:10921"));
        assertThat(broker.masterAddress()).isEqualTo("127.0.0.1:10911");
    }

    @Test
    void readsTheFastjsonFormWithUnquotedKeysAndExtraFields() {
        TopicRouteData route = decode(FASTJSON);

        assertThat(route.orderTopicConf()).isEqualTo("broker-a:4;broker-b:2");
        assertThat(route.queueDatas()).containsExactly(
                new QueueData("broker-a", 8, 8, 7, 0), new QueueData("broker-b", 2, 2, 4, 0));
        assertThat(route.brokerDatas()).hasSize(2);
        assertThat(route.brokerDatas().get(0).brokerAddrs())
                .containsOnly(Map.entry(0L, "10.0.0.1:10911"), Map.entry(1L, "10.0.0.2:10911"));
        assertThat(route.brokerDatas().get(0).masterAddress()).isEqualTo("10.0.0.1:10911");
        assertThat(route.brokerDatas().get(1).masterAddress()).as("slave only").isNull();
    }

    @Test
    void readsNumbersWrittenAsQuotedStringsAndLargeBrokerIds() {
        String json = "{\"brokerDatas\":[{\"brokerAddrs\":{\"9007199254740993\":\"h:1\",0:\"h:0\"},\"brokerName\":\"b\"}],"
                + "\"queueDatas\":[{\"brokerName\":\"b\",\"perm\":\"6\",\"readQueueNums\":\"4\",\"writeQueueNums\":\"4\","
                + "\"topicSysFlag\":\"0\"}]}";
        TopicRouteData route = decode(json);
        assertThat(route.queueDatas().get(0)).isEqualTo(new QueueData("b", 4, 4, 6, 0));
        assertThat(route.brokerDatas().get(0).brokerAddrs()).containsEntry(9_007_199_254_740_993L, "h:1");
    }

    @Test
    void missingPartsBecomeEmptyNotNull() {
        TopicRouteData route = decode("{}");
        assertThat(route.queueDatas()).isEmpty();
        assertThat(route.brokerDatas()).isEmpty();
        TopicRouteData noAddrs = decode("{\"brokerDatas\":[{\"brokerName\":\"b\"}],\"queueDatas\":[{\"brokerName\":\"b\"}]}");
        assertThat(noAddrs.brokerDatas().get(0).masterAddress()).isNull();
        assertThat(noAddrs.queueDatas().get(0)).isEqualTo(new QueueData("b", 0, 0, 0, 0));
    }

    @Test
    void readsEscapedNonAscii() {
        TopicRouteData route = decode("{\"brokerDatas\":[{\"brokerAddrs\":{\"0\":\"h:1\"},\"brokerName\":\"b\\u00e9\"}]}");
        assertThat(route.brokerDatas().get(0).brokerName()).isEqualTo("bé");
    }

    @Test
    void resultIsImmutable() {
        TopicRouteData route = decode(STANDARD);
        assertThatThrownBy(() -> route.queueDatas().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> route.brokerDatas().get(0).brokerAddrs().put(2L, "x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"queueDatas\":[", "not json", "[]", "null", "{\"queueDatas\":[null]}",
        "{\"queueDatas\":{\"a\":1}}", "{\"brokerDatas\":[{\"brokerAddrs\":{\"x\":\"h:1\"}}]}"})
    void malformedBodiesFailWithNoRouteAndTheBody(String body) {
        assertThatThrownBy(() -> decode(body))
                .isInstanceOf(MQException.class)
                .hasMessageContaining(body)
                .extracting(e -> ((MQException) e).reason()).isEqualTo(MQException.Reason.NO_ROUTE);
    }

    @Test
    void emptyBodiesFailWithNoRoute() {
        assertThatThrownBy(() -> RouteCodec.decode(new byte[0])).isInstanceOf(MQException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> RouteCodec.decode(null)).isInstanceOf(MQException.class);
    }

    @Test
    void longBodiesAreShortenedInTheMessage() {
        String body = "{\"queueDatas\":[" + " ".repeat(1000) + "x";
        assertThatThrownBy(() -> decode(body)).isInstanceOf(MQException.class)
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(600));
    }

    private static TopicRouteData decode(String json) {
        return RouteCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }
}
