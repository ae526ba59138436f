package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.testing.StoredRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Stored messages written field by field as the broker's commit log holds them (§9.4), then decoded. */
class StoredMessageTest {

    private static final byte[] V6 = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    private static StoredRecord halfMessage() {
        StoredRecord r = new StoredRecord();
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
        StoredRecord r = halfMessage();

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
        StoredRecord r = halfMessage();
        r.magic = StoredMessage.MAGIC_V1;
        r.topic = "t".repeat(200);

        assertThat(StoredMessage.decode(r.bytes()).topic()).isEqualTo("t".repeat(200));
    }

    @Test
    void v2RecordsCarryTopicsLongerThan255Bytes() {
        StoredRecord r = halfMessage();
        r.topic = "t".repeat(1000);

        assertThat(StoredMessage.decode(r.bytes()).topic()).isEqualTo("t".repeat(1000));
    }

    @Test
    void ipv6HostsAreReadWhenTheirSysFlagBitsAreSet() {
        StoredRecord r = halfMessage();
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
        StoredRecord r = halfMessage();
        r.sysFlag |= SysFlag.BORNHOST_V6;
        r.bornAddress = V6;

        StoredMessage m = StoredMessage.decode(r.bytes());

        assertThat(m.bornHost()).startsWith("[2001:db8:");
        assertThat(m.storeHost()).isEqualTo("10.1.2.3:10911");
    }

    @Test
    void zlibBodiesAreInflated() {
        byte[] text = "a compressible body ".repeat(400).getBytes(StandardCharsets.UTF_8);
        StoredRecord r = halfMessage();
        r.sysFlag |= SysFlag.compressedZlib();
        r.body = Compression.zlib(text, 5);

        assertThat(StoredMessage.decode(r.bytes()).body()).isEqualTo(text);
    }

    @Test
    void legacyCompressedFlagWithoutATypeMeansZlib() {
        byte[] text = "old client ".repeat(100).getBytes(StandardCharsets.UTF_8);
        StoredRecord r = halfMessage();
        r.sysFlag |= SysFlag.COMPRESSED;
        r.body = Compression.zlib(text, 5);

        assertThat(StoredMessage.decode(r.bytes()).body()).isEqualTo(text);
    }

    @Test
    void zstdAndLz4BodiesAreDecompressedByTheirTypeBits() {
        byte[] text = "{\"order\":42,\"state\":\"paid\"} ".repeat(300).getBytes(StandardCharsets.UTF_8);
        for (Compression.Codec codec : List.of(Compression.Codec.ZSTD, Compression.Codec.LZ4)) {
            StoredRecord r = halfMessage();
            r.sysFlag |= codec.sysFlag();
            r.body = codec.compress(text, 3);

            assertThat(StoredMessage.decode(r.bytes()).body()).as("%s", codec).isEqualTo(text);
        }
    }

    @Test
    void anUnknownCompressionTypeIsNamedInTheError() {
        StoredRecord r = halfMessage();
        r.sysFlag |= SysFlag.COMPRESSED | 0x400;

        assertThatThrownBy(() -> StoredMessage.decode(r.bytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown type 0x400");
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
    void aRequestAndAReplyShowTheirRequestReplyFieldsAndOtherMessagesNone() {
        StoredRecord r = new StoredRecord();
        r.properties.put(MessageProperties.CLUSTER, "DefaultCluster");
        r.properties.put(MessageProperties.CORRELATION_ID, "corr-1");
        r.properties.put(MessageProperties.REPLY_TO_CLIENT, "10.0.0.1@123#456");
        r.properties.put(MessageProperties.TTL, "3000");
        r.properties.put("user", "kept");
        ReceivedMessage request = StoredMessage.decode(r.bytes()).toReceivedMessage("Requests", "broker-a");
        assertThat(request.isRequest()).isTrue();
        assertThat(request.isReply()).isFalse();
        assertThat(request.correlationId()).isEqualTo("corr-1");
        assertThat(request.replyToClient()).isEqualTo("10.0.0.1@123#456");
        assertThat(request.requestTtl()).isEqualTo(java.time.Duration.ofSeconds(3));
        assertThat(request.cluster()).isEqualTo("DefaultCluster");
        assertThat(request.properties()).containsExactly(Map.entry("user", "kept"));

        r.properties.put(MessageProperties.MSG_TYPE, MessageProperties.REPLY_TYPE);
        r.properties.put(MessageProperties.TTL, "not a number"); // another client's: the reply still reads
        ReceivedMessage reply = StoredMessage.decode(r.bytes()).toReceivedMessage("Requests", "broker-a");
        assertThat(reply.isReply()).isTrue();
        assertThat(reply.isRequest()).isFalse();
        assertThat(reply.requestTtl()).isNull();

        ReceivedMessage plain = StoredMessage.decode(halfMessage().bytes()).toReceivedMessage("orders", "broker-a");
        assertThat(plain.isRequest()).isFalse();
        assertThat(plain.isReply()).isFalse();
        assertThat(plain.correlationId()).isNull();
        assertThat(plain.requestTtl()).isNull();
    }

    @Test
    void aReplyPushesHostsAreReadFromJavaSocketAddressText() {
        assertThat(ReplyPush.host("/127.0.0.1:10911")).isEqualTo("127.0.0.1:10911");
        assertThat(ReplyPush.host("broker-host/10.0.0.5:10911")).isEqualTo("10.0.0.5:10911");
        assertThat(ReplyPush.host("10.0.0.5:10911")).isEqualTo("10.0.0.5:10911");
        assertThat(ReplyPush.host("")).isNull();
        assertThat(ReplyPush.host(null)).isNull();
    }

    @Test
    void aMessageWithoutUniqKeyIsKnownByItsOffsetId() {
        StoredRecord r = new StoredRecord();
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
            StoredRecord r = halfMessage();
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
            StoredRecord r = new StoredRecord();
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
