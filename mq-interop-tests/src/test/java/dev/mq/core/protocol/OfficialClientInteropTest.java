package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mq.core.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.common.UtilAll;
import org.apache.rocketmq.common.message.MessageClientIDSetter;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.remoting.protocol.heartbeat.HeartbeatData;
import org.apache.rocketmq.remoting.protocol.heartbeat.ProducerData;
import org.junit.jupiter.api.Test;

/** The official client (test scope only) reads what this package writes, and writes what it reads. */
class OfficialClientInteropTest {

    @Test
    void officialDecoderReadsOurPropertiesAndWeReadItsOutput() {
        Message m = Message.builder("T").tags("TagA").keys("k1", "k2").property("tenant", "acme 中文")
                .deliveryDelay(Duration.ofSeconds(5)).body("x").build();
        String ours = MessageProperties.encode(m, "ID", true);

        Map<String, String> official = MessageDecoder.string2messageProperties(ours);
        assertThat(official).isEqualTo(MessageProperties.decode(ours)).containsEntry("KEYS", "k1 k2")
                .containsEntry("TIMER_DELAY_MS", "5000").containsEntry("WAIT", "true");
        assertThat(MessageProperties.decode(MessageDecoder.messageProperties2String(official))).isEqualTo(official);
    }

    @Test
    void officialDecoderDropsTheSameMalformedSegments() {
        String wire = "ab\u0002a\u0001\u0002abc\u0002\u0001v\u0002n\u0001\u0002k\u0001v\u0001w\u0002k2\u0001x";
        assertThat(MessageProperties.decode(wire)).isEqualTo(MessageDecoder.string2messageProperties(wire));
    }

    @Test
    void officialToolsTakeOurIdApart() {
        // An id made a second ago: Apache's decoder takes a time part that is not before its own "now"
        // (the same millisecond, on a fast run) for one of the previous month, and was 30 days off.
        MessageIdGenerator ids = new MessageIdGenerator(new byte[] {(byte) 192, (byte) 168, 1, 10}, 12345, 7,
                Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-1)), ZoneId.systemDefault());
        String id = ids.next();
        assertThat(MessageClientIDSetter.getIPStrFromID(id)).isEqualTo("192.168.1.10");
        assertThat(MessageClientIDSetter.getPidFromID(id)).isEqualTo(12345);
        assertThat(MessageClientIDSetter.getNearlyTimeFromID(id).getTime())
                .isCloseTo(System.currentTimeMillis(), within(60_000L));
    }

    @Test
    void officialDecoderReadsOurBatchBody() throws Exception {
        List<BatchBody.Record> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Message m = Message.builder("T").tags("t" + i).keys("k" + i).body("body-" + i).flag(i).build();
            records.add(new BatchBody.Record(m.flag(), m.body(), MessageProperties.encode(m, "ID" + i, true)));
        }
        ByteBuf out = Unpooled.buffer(BatchBody.encodedSize(records));
        BatchBody.encode(records, out);

        List<org.apache.rocketmq.common.message.Message> decoded = MessageDecoder.decodeMessages(out.nioBuffer());
        assertThat(decoded).hasSize(3);
        for (int i = 0; i < 3; i++) {
            org.apache.rocketmq.common.message.Message d = decoded.get(i);
            assertThat(d.getFlag()).isEqualTo(i);
            assertThat(new String(d.getBody(), StandardCharsets.UTF_8)).isEqualTo("body-" + i);
            assertThat(d.getTags()).isEqualTo("t" + i);
            assertThat(d.getKeys()).isEqualTo("k" + i);
            assertThat(d.getProperties()).containsEntry("UNIQ_KEY", "ID" + i);
        }
    }

    @Test
    void officialInflaterReadsOurZlib() throws Exception {
        byte[] body = "compress me ".repeat(1000).getBytes(StandardCharsets.UTF_8);
        assertThat(UtilAll.uncompress(Compression.zlib(body, Compression.DEFAULT_LEVEL))).isEqualTo(body);
        assertThat(Compression.inflate(UtilAll.compress(body, 5))).isEqualTo(body);
    }

    @Test
    void weReadRoutesTheOfficialCodeWritesInBothForms() {
        org.apache.rocketmq.remoting.protocol.route.TopicRouteData route =
                new org.apache.rocketmq.remoting.protocol.route.TopicRouteData();
        route.setBrokerDatas(new ArrayList<>(List.of(new org.apache.rocketmq.remoting.protocol.route.BrokerData(
                "DefaultCluster", "broker-a", new HashMap<>(Map.of(0L, "127.0.0.1:10911", 1L, "127.0.0.1:10921"))))));
        org.apache.rocketmq.remoting.protocol.route.QueueData queue =
                new org.apache.rocketmq.remoting.protocol.route.QueueData();
        queue.setBrokerName("broker-a");
        queue.setPerm(6);
        queue.setReadQueueNums(4);
        queue.setWriteQueueNums(4);
        route.setQueueDatas(new ArrayList<>(List.of(queue)));
        route.setFilterServerTable(new HashMap<>());

        byte[] nonStandard = route.encode();
        byte[] standard = route.encode(com.alibaba.fastjson2.JSONWriter.Feature.BrowserCompatible,
                com.alibaba.fastjson2.JSONWriter.Feature.MapSortField);
        assertThat(new String(nonStandard, StandardCharsets.UTF_8)).contains("{0:\"127.0.0.1:10911\"");

        for (byte[] json : List.of(nonStandard, standard)) {
            TopicRouteData ours = RouteCodec.decode(json);
            assertThat(ours.queueDatas()).containsExactly(new QueueData("broker-a", 4, 4, 6, 0));
            assertThat(ours.brokerDatas().get(0).masterAddress()).isEqualTo("127.0.0.1:10911");
            assertThat(ours.brokerDatas().get(0).brokerAddrs()).containsEntry(1L, "127.0.0.1:10921");
        }
    }

    @Test
    void officialCodeReadsOurHeartbeat() {
        byte[] body = HeartbeatBody.encode("10.0.0.1@1234#5678\"x", List.of("PG1", "PG2"));
        HeartbeatData data = HeartbeatData.decode(body, HeartbeatData.class);
        assertThat(data.getClientID()).isEqualTo("10.0.0.1@1234#5678\"x");
        assertThat(data.getConsumerDataSet()).isEmpty();
        assertThat(data.getProducerDataSet()).extracting(ProducerData::getGroupName).containsExactlyInAnyOrder("PG1", "PG2");
    }
}
