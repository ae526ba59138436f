package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Stored messages written field by field as the broker's commit log holds them (§9.4), then decoded. */
class StoredMessageTest {

    private static final byte[] LOOPBACK = {127, 0, 0, 1};
    private static final byte[] STORE_V4 = {10, 1, 2, 3};
    private static final byte[] V6 = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    /** One stored record, written the way the broker writes it. */
    static final class Record {
        int magic = StoredMessage.MAGIC_V2;
        int queueId = 3;
        int flag = 7;
        long queueOffset = 42;
        long physicalOffset = 0x1234_5678_9AL;
        int sysFlag;
        long bornTimestamp = 1_700_000_000_000L;
        byte[] bornAddress = LOOPBACK;
        int bornPort = 50_123;
        long storeTimestamp = 1_700_000_000_500L;
        byte[] storeAddress = STORE_V4;
        int storePort = 10_911;
        int reconsumeTimes = 2;
        long preparedTransactionOffset = 99;
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        String topic = "orders";
        Map<String, String> properties = new LinkedHashMap<>();

        byte[] bytes() {
            byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
            byte[] props = MessageProperties.encode(properties).getBytes(StandardCharsets.UTF_8);
            int size = 4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + bornAddress.length + 4 + 8 + storeAddress.length + 4 + 4 + 8
                    + 4 + body.length + (magic == StoredMessage.MAGIC_V1 ? 1 : 2) + topicBytes.length + 2 + props.length;
            ByteBuffer b = ByteBuffer.allocate(size);
            b.putInt(size).putInt(magic).putInt(0).putInt(queueId).putInt(flag).putLong(queueOffset)
                    .putLong(physicalOffset).putInt(sysFlag).putLong(bornTimestamp).put(bornAddress).putInt(bornPort)
                    .putLong(storeTimestamp).put(storeAddress).putInt(storePort).putInt(reconsumeTimes)
                    .putLong(preparedTransactionOffset).putInt(body.length).put(body);
            if (magic == StoredMessage.MAGIC_V1) {
                b.put((byte) topicBytes.length);
            } else {
                b.putShort((short) topicBytes.length);
            }
            b.put(topicBytes).putShort((short) props.length).put(props);
            return b.array();
        }
    }

    private static Record halfMessage() {
        Record r = new Record();
        r.sysFlag = SysFlag.TRANSACTION_PREPARED;
        r.properties.put(MessageProperties.TAGS, "created");
        r.properties.put(MessageProperties.KEYS, "order-1 customer-9");
        r.properties.put("region", "eu");
        r.properties.put(MessageProperties.UNIQ_KEY, "7F00000100002A9F0000000000000001");
        r.properties.put(MessageProperties.TRAN_MSG, "true");
        r.properties.put(MessageProperties.PGROUP, "ns%orders-tx");
        r.properties.put(MessageProperties.REAL_TOPIC, "ns%orders");
        r.properties.put(MessageProperties.REAL_QID, "3");
        r.properties.put(MessageProperties.TRANSACTION_CHECK_TIMES, "1");
        r.properties.put("trace", "abc");
        r.topic = "ns%orders";
        return r;
    }

    @Test
    void decodesEveryFieldOfAV2RecordWithIpv4Hosts() {
        Record r = halfMessage();

        StoredMessage m = StoredMessage.decode(r.bytes());

        assertThat(m.topic()).isEqualTo("ns%orders");
        assertThat(m.queueId()).isEqualTo(3);
        assertThat(m.flag()).isEqualTo(7);
        assertThat(m.queueOffset()).isEqualTo(42);
        assertThat(m.physicalOffset()).isEqualTo(0x1234_5678_9AL);
        assertThat(m.sysFlag()).isEqualTo(SysFlag.TRANSACTION_PREPARED);
        assertThat(m.bornTimestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(m.bornHost()).isEqualTo("127.0.0.1:50123");
        assertThat(m.storeTimestamp()).isEqualTo(1_700_000_000_500L);
        assertThat(m.storeHost()).isEqualTo("10.1.2.3:10911");
        assertThat(m.reconsumeTimes()).isEqualTo(2);
        assertThat(m.preparedTransactionOffset()).isEqualTo(99);
        assertThat(m.body()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
        assertThat(m.properties()).isEqualTo(r.properties);
        assertThat(m.messageId()).isEqualTo("7F00000100002A9F0000000000000001");
        // store host 10.1.2.3, port 10911 (0x2A9F), offset 0x123456789A
        assertThat(m.offsetMessageId()).isEqualTo("0A01020300002A9F000000123456789A");
        assertThat(StoredMessage.commitLogOffset(m.offsetMessageId())).isEqualTo(0x1234_5678_9AL);
    }

    @Test
    void v1RecordsHaveAOneByteTopicLength() {
        Record r = halfMessage();
        r.magic = StoredMessage.MAGIC_V1;
        r.topic = "t".repeat(200);

        assertThat(StoredMessage.decode(r.bytes()).topic()).isEqualTo("t".repeat(200));
    }

    @Test
    void v2RecordsCarryTopicsLongerThan255Bytes() {
        Record r = halfMessage();
        r.topic = "t".repeat(1000);

        assertThat(StoredMessage.decode(r.bytes()).topic()).isEqualTo("t".repeat(1000));
    }

    @Test
    void ipv6HostsAreReadWhenTheirSysFlagBitsAreSet() {
        Record r = halfMessage();
        r.sysFlag |= SysFlag.BORNHOST_V6 | SysFlag.STOREHOST_V6;
        r.bornAddress = V6;
        r.storeAddress = V6;

        StoredMessage m = StoredMessage.decode(r.bytes());

        assertThat(m.bornHost()).isEqualTo("[2001:db8:0:0:0:0:0:1]:50123");
        assertThat(m.storeHost()).isEqualTo("[2001:db8:0:0:0:0:0:1]:10911");
        assertThat(m.offsetMessageId()).hasSize(56).startsWith("20010DB8").endsWith("00002A9F000000123456789A");
        assertThat(StoredMessage.commitLogOffset(m.offsetMessageId())).isEqualTo(0x1234_5678_9AL);
    }

    @Test
    void onlyTheBornHostMayBeIpv6() {
        Record r = halfMessage();
        r.sysFlag |= SysFlag.BORNHOST_V6;
        r.bornAddress = V6;

        StoredMessage m = StoredMessage.decode(r.bytes());

        assertThat(m.bornHost()).startsWith("[2001:db8:");
        assertThat(m.storeHost()).isEqualTo("10.1.2.3:10911");
    }

    @Test
    void zlibBodiesAreInflated() {
        byte[] text = "a compressible body ".repeat(400).getBytes(StandardCharsets.UTF_8);
        Record r = halfMessage();
        r.sysFlag |= SysFlag.compressedZlib();
        r.body = Compression.zlib(text, 5);

        assertThat(StoredMessage.decode(r.bytes()).body()).isEqualTo(text);
    }

    @Test
    void legacyCompressedFlagWithoutATypeMeansZlib() {
        byte[] text = "old client ".repeat(100).getBytes(StandardCharsets.UTF_8);
        Record r = halfMessage();
        r.sysFlag |= SysFlag.COMPRESSED;
        r.body = Compression.zlib(text, 5);

        assertThat(StoredMessage.decode(r.bytes()).body()).isEqualTo(text);
    }

    @Test
    void otherCompressionTypesAreNamedInTheError() {
        Record r = halfMessage();
        r.sysFlag |= SysFlag.COMPRESSED | SysFlag.COMPRESSION_LZ4;

        assertThatThrownBy(() -> StoredMessage.decode(r.bytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LZ4");
    }

    @Test
    void receivedMessageKeepsUserPropertiesAndReadsReservedOnesIntoAccessors() {
        ReceivedMessage m = StoredMessage.decode(halfMessage().bytes()).toReceivedMessage("orders", "broker-a");

        assertThat(m.topic()).isEqualTo("orders");
        assertThat(m.queue()).isEqualTo(new MessageQueue("orders", "broker-a", 3));
        assertThat(m.tags()).isEqualTo("created");
        assertThat(m.keys()).containsExactly("order-1", "customer-9");
        assertThat(m.properties()).containsExactly(Map.entry("region", "eu"), Map.entry("trace", "abc"));
        assertThat(m.messageId()).isEqualTo("7F00000100002A9F0000000000000001");
        assertThat(m.offsetMessageId()).isEqualTo("0A01020300002A9F000000123456789A");
        assertThat(m.queueOffset()).isEqualTo(42);
        assertThat(m.reconsumeTimes()).isEqualTo(2);
        assertThat(m.bornTimestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(m.storeTimestamp()).isEqualTo(1_700_000_000_500L);
        assertThat(m.bornHost()).isEqualTo("127.0.0.1:50123");
        assertThat(m.storeHost()).isEqualTo("10.1.2.3:10911");
        assertThat(m.body()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
    }

    @Test
    void aMessageWithoutUniqKeyIsKnownByItsOffsetId() {
        Record r = new Record();
        ReceivedMessage m = StoredMessage.decode(r.bytes()).toReceivedMessage("orders", "b");

        assertThat(m.messageId()).isEqualTo("0A01020300002A9F000000123456789A");
        assertThat(m.tags()).isNull();
        assertThat(m.keys()).isEmpty();
        assertThat(m.properties()).isEmpty();
    }

    @Test
    void decodeAllReadsRecordsBackToBack() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 5; i++) {
            Record r = halfMessage();
            r.queueOffset = i;
            r.magic = i % 2 == 0 ? StoredMessage.MAGIC_V1 : StoredMessage.MAGIC_V2;
            out.write(r.bytes());
        }

        List<StoredMessage> all = StoredMessage.decodeAll(out.toByteArray());

        assertThat(all).extracting(StoredMessage::queueOffset).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void randomRecordsRoundTrip() {
        Random random = new Random(12);
        for (int i = 0; i < 300; i++) {
            Record r = new Record();
            r.magic = random.nextBoolean() ? StoredMessage.MAGIC_V1 : StoredMessage.MAGIC_V2;
            r.queueId = random.nextInt(64);
            r.queueOffset = random.nextLong() & Long.MAX_VALUE;
            r.physicalOffset = random.nextLong() & Long.MAX_VALUE;
            r.body = new byte[random.nextInt(300)];
            random.nextBytes(r.body);
            if (random.nextBoolean()) {
                r.sysFlag |= SysFlag.BORNHOST_V6;
                r.bornAddress = V6;
            }
            if (random.nextBoolean()) {
                r.sysFlag |= SysFlag.STOREHOST_V6;
                r.storeAddress = V6;
            }
            byte[] original = r.body;
            if (random.nextBoolean()) {
                r.sysFlag |= SysFlag.compressedZlib();
                r.body = Compression.zlib(original, 5);
            }
            r.topic = "topic-" + "\u00e9".repeat(random.nextInt(100));
            for (int p = random.nextInt(5); p > 0; p--) {
                r.properties.put("k" + random.nextInt(1000), "v\u4e2d" + random.nextInt());
            }

            StoredMessage m = StoredMessage.decode(r.bytes());

            assertThat(m.body()).as("record %d", i).isEqualTo(original);
            assertThat(m.topic()).isEqualTo(r.topic);
            assertThat(m.queueOffset()).isEqualTo(r.queueOffset);
            assertThat(m.properties()).isEqualTo(r.properties);
            assertThat(StoredMessage.commitLogOffset(m.offsetMessageId())).isEqualTo(r.physicalOffset);
        }
    }

    @Test
    void truncatedOrForeignBytesAreRefusedWithAReason() {
        byte[] whole = halfMessage().bytes();

        assertThatThrownBy(() -> StoredMessage.decode(Arrays.copyOf(whole, whole.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StoredMessage.decode(Arrays.copyOf(whole, 20)))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] foreign = whole.clone();
        foreign[4] = 0;
        assertThatThrownBy(() -> StoredMessage.decode(foreign))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("magic");
        byte[] longer = Arrays.copyOf(whole, whole.length + 1);
        assertThatThrownBy(() -> StoredMessage.decode(longer))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after");
        assertThatThrownBy(() -> StoredMessage.commitLogOffset("abc")).isInstanceOf(IllegalArgumentException.class);
    }
}
