package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.testing.ForAll;
import dev.mq.core.testing.Gen;
import dev.mq.core.testing.StoredRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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

    /** A pull answer of several records in the pooled direct buffer a connection reads into. */
    private static ByteBuf directAnswer(List<StoredRecord> records) {
        ByteBuf answer = PooledByteBufAllocator.DEFAULT.directBuffer();
        answer.writeBytes(new byte[] {9, 9, 9}).readerIndex(3); // the answer need not start at index 0
        for (StoredRecord r : records) {
            answer.writeBytes(r.bytes());
        }
        return answer;
    }

    @Test
    void aPullAnswerIsDecodedFromTheConnectionsBufferAsFromItsBytes() throws Exception {
        List<StoredRecord> records = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < 6; i++) {
            StoredRecord r = halfMessage();
            r.magic = i % 2 == 0 ? StoredMessage.MAGIC_V1 : StoredMessage.MAGIC_V2;
            r.queueOffset = 100 + i;
            r.physicalOffset = 5_000 + 300L * i;
            r.properties.put(MessageProperties.UNIQ_KEY, "7F00000100002A9F00000000000000" + (10 + i));
            if (i == 3) {
                r.sysFlag |= SysFlag.compressedZlib();
                r.body = Compression.zlib("compressed ".repeat(50).getBytes(StandardCharsets.UTF_8), 5);
            }
            records.add(r);
            bytes.write(r.bytes());
        }
        ByteBuf answer = directAnswer(records);
        try {
            List<StoredMessage> fromBuffer = StoredMessage.decodeAll(answer);
            List<StoredMessage> fromBytes = StoredMessage.decodeAll(bytes.toByteArray());

            assertThat(answer.readerIndex()).as("the buffer's indexes are left alone").isEqualTo(3);
            assertThat(answer.writerIndex()).isEqualTo(3 + bytes.size());
            assertThat(fromBuffer).hasSize(6);
            for (int i = 0; i < 6; i++) {
                assertSameRecord(fromBuffer.get(i), fromBytes.get(i));
                assertThat(fromBuffer.get(i).queueOffset()).isEqualTo(100 + i);
            }
            assertThat(fromBuffer.get(3).body()).asString(StandardCharsets.UTF_8).isEqualTo("compressed ".repeat(50));
            assertThat(fromBuffer.get(1).messageId()).isEqualTo("7F00000100002A9F0000000000000011");
        } finally {
            answer.release();
        }
    }

    private static void assertSameRecord(StoredMessage actual, StoredMessage expected) {
        assertThat(actual.topic()).isEqualTo(expected.topic());
        assertThat(actual.queueId()).isEqualTo(expected.queueId());
        assertThat(actual.flag()).isEqualTo(expected.flag());
        assertThat(actual.queueOffset()).isEqualTo(expected.queueOffset());
        assertThat(actual.physicalOffset()).isEqualTo(expected.physicalOffset());
        assertThat(actual.sysFlag()).isEqualTo(expected.sysFlag());
        assertThat(actual.bornTimestamp()).isEqualTo(expected.bornTimestamp());
        assertThat(actual.bornHost()).isEqualTo(expected.bornHost());
        assertThat(actual.storeTimestamp()).isEqualTo(expected.storeTimestamp());
        assertThat(actual.storeHost()).isEqualTo(expected.storeHost());
        assertThat(actual.reconsumeTimes()).isEqualTo(expected.reconsumeTimes());
        assertThat(actual.preparedTransactionOffset()).isEqualTo(expected.preparedTransactionOffset());
        assertThat(actual.body()).isEqualTo(expected.body());
        assertThat(actual.properties()).containsExactlyEntriesOf(expected.properties());
        assertThat(actual.offsetMessageId()).isEqualTo(expected.offsetMessageId());
        assertThat(actual.messageId()).isEqualTo(expected.messageId());
    }

    @Test
    void hostsTopicsAndPropertiesSharedBetweenRecordsFollowEveryChange() {
        // Consecutive records that differ in exactly what the decoder keeps from the previous record.
        StoredRecord a = halfMessage();
        StoredRecord b = halfMessage();
        b.bornAddress = new byte[] {127, 0, 0, 2};
        b.storeAddress = new byte[] {10, 1, 2, 4};
        b.topic = "ns%orderz";
        b.properties.put("region", "us");
        StoredRecord c = halfMessage();
        c.bornPort = 50_124;
        c.storePort = 10_912;
        c.sysFlag |= SysFlag.BORNHOST_V6 | SysFlag.STOREHOST_V6;
        c.bornAddress = V6;
        c.storeAddress = V6;
        c.topic = "ns%\u00f6rders"; // as long in chars as the next topic is in bytes: compared by content
        c.properties.put("region", "\u00e9u");
        StoredRecord d = halfMessage();
        StoredRecord e = halfMessage();
        ByteBuf answer = directAnswer(List.of(a, b, c, d, e));
        try {
            List<StoredMessage> m = StoredMessage.decodeAll(answer);

            assertThat(m).extracting(StoredMessage::bornHost).containsExactly("127.0.0.1:50123", "127.0.0.2:50123",
                    "[2001:db8:0:0:0:0:0:1]:50124", "127.0.0.1:50123", "127.0.0.1:50123");
            assertThat(m).extracting(StoredMessage::storeHost).containsExactly("10.1.2.3:10911", "10.1.2.4:10911",
                    "[2001:db8:0:0:0:0:0:1]:10912", "10.1.2.3:10911", "10.1.2.3:10911");
            assertThat(m).extracting(StoredMessage::topic)
                    .containsExactly("ns%orders", "ns%orderz", "ns%\u00f6rders", "ns%orders", "ns%orders");
            assertThat(m).extracting(s -> s.property("region")).containsExactly("eu", "us", "\u00e9u", "eu", "eu");
            assertThat(m.get(1).offsetMessageId()).isEqualTo("0A01020400002A9F000000123456789A");
            assertThat(m.get(3).offsetMessageId()).isEqualTo("0A01020300002A9F000000123456789A");
            assertThat(m.get(4).storeHost()).as("the same host again: made once").isSameAs(m.get(3).storeHost());
            assertThat(m.get(4).bornHost()).isSameAs(m.get(3).bornHost());
        } finally {
            answer.release();
        }
    }

    @Test
    void propertiesAreSplitByTheRulesOfTheParser() {
        // Every property text, malformed ones included, reads as MessageProperties.decode reads it.
        ForAll.check("stored properties", 500, r -> {
            StringBuilder text = new StringBuilder();
            String[] names = {"a", "KEYS", "TAGS", "UNIQ_KEY", "k\u4e2d", "", "region"};
            for (int i = r.nextInt(8); i > 0; i--) {
                switch (r.nextInt(6)) {
                    case 0 -> text.append(names[r.nextInt(names.length)]); // no separator
                    case 1 -> text.append('\u0001').append(Gen.propertyText(r, 3)); // empty name
                    case 2 -> text.append(names[r.nextInt(names.length)]).append('\u0001'); // empty value
                    default -> text.append(names[r.nextInt(names.length)]).append('\u0001')
                            .append(r.nextBoolean() ? Gen.propertyText(r, 6) : "x\u0001y"); // value keeps 0x01
                }
                text.append('\u0002');
            }
            if (r.nextBoolean() && text.length() > 0) {
                text.setLength(text.length() - 1); // no separator after the last pair
            }
            return text.toString();
        }, raw -> {
            StoredRecord r = new StoredRecord();
            r.rawProperties = raw;
            StoredMessage m = StoredMessage.decode(r.bytes());
            Map<String, String> expected = MessageProperties.decode(raw);

            assertThat(m.properties()).containsExactlyEntriesOf(expected);
            for (String name : List.of("a", "KEYS", "TAGS", "UNIQ_KEY", "k\u4e2d", "region")) {
                assertThat(m.property(name)).as(name).isEqualTo(expected.get(name));
            }
            ReceivedMessage received = m.toReceivedMessage("orders", "b");
            Map<String, String> user = new LinkedHashMap<>(expected);
            user.keySet().removeIf(MessageProperties::isReserved);
            assertThat(received.properties()).containsExactlyEntriesOf(user);
            assertThat(received.tags()).isEqualTo(expected.get(MessageProperties.TAGS));
            String keys = expected.get(MessageProperties.KEYS);
            assertThat(received.keys()).isEqualTo(keys == null ? List.of()
                    : Arrays.stream(keys.split(" ")).filter(k -> !k.isEmpty()).toList());
        });
    }

    @Test
    void keysAreSplitAtSpacesWithoutEmptyOnes() {
        assertThat(StoredMessage.splitKeys("order-1")).containsExactly("order-1");
        assertThat(StoredMessage.splitKeys("order-1 customer-9")).containsExactly("order-1", "customer-9");
        assertThat(StoredMessage.splitKeys("  a  b ")).containsExactly("a", "b");
        assertThat(StoredMessage.splitKeys("")).isEmpty();
        assertThat(StoredMessage.splitKeys("   ")).isEmpty();
    }

    @Test
    void hostTextsAndOffsetIdsAreWhatTheJdkAndHexFormattingMake() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            byte[] address = new byte[i % 5 == 0 ? 16 : 4];
            random.nextBytes(address);
            int port = random.nextInt(65_536);
            long offset = random.nextLong();
            String ip = InetAddress.getByAddress(address).getHostAddress();

            assertThat(StoredMessage.hostText(address, port))
                    .isEqualTo((address.length == 16 ? "[" + ip + "]" : ip) + ":" + port);
            StringBuilder hex = new StringBuilder();
            for (byte b : address) {
                hex.append(String.format("%02X", b));
            }
            hex.append(String.format("%08X%016X", port, offset));
            assertThat(StoredMessage.offsetMessageId(address, port, offset)).isEqualTo(hex.toString());
        }
    }

    @Test
    void aPullAnswersOffsetDeltaMovesTheQueueOffset() {
        ReceivedMessage m = StoredMessage.decode(halfMessage().bytes())
                .toReceivedMessage("orders", new MessageQueue("orders", "broker-a", 3), 1_000);

        assertThat(m.queueOffset()).isEqualTo(1_042);
        assertThat(m.messageId()).isEqualTo("7F00000100002A9F0000000000000001");
    }

    @Test
    void damagedPullAnswersFailWithAReasonAndNothingElse() {
        // Bounds are checked by hand while reading from the buffer: a damaged answer must never surface as
        // an index error from the buffer or an array.
        ForAll.check("damaged pull answer", 2_000, r -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = r.nextInt(3) + 1; i > 0; i--) {
                StoredRecord record = halfMessage();
                record.magic = r.nextBoolean() ? StoredMessage.MAGIC_V1 : StoredMessage.MAGIC_V2;
                if (r.nextBoolean()) {
                    record.sysFlag |= SysFlag.BORNHOST_V6 | SysFlag.STOREHOST_V6;
                    record.bornAddress = V6;
                    record.storeAddress = V6;
                }
                out.writeBytes(record.bytes());
            }
            byte[] bytes = out.toByteArray();
            switch (r.nextInt(3)) {
                case 0 -> bytes = Arrays.copyOf(bytes, r.nextInt(bytes.length)); // truncated
                case 1 -> { // a length or flag overwritten
                    int at = r.nextInt(bytes.length - 4);
                    int value = r.nextBoolean() ? r.nextInt() : r.nextInt(300) - 20;
                    bytes[at] = (byte) (value >>> 24);
                    bytes[at + 1] = (byte) (value >>> 16);
                    bytes[at + 2] = (byte) (value >>> 8);
                    bytes[at + 3] = (byte) value;
                }
                default -> bytes[r.nextInt(bytes.length)] ^= (byte) (1 << r.nextInt(8)); // one bit flipped
            }
            return bytes;
        }, bytes -> {
            ByteBuf answer = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
            try {
                StoredMessage.decodeAll(answer);
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } finally {
                answer.release();
            }
        });
    }
}
