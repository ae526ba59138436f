package dev.mq.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.internal.protocol.MessageProperties;
import dev.mq.core.internal.protocol.OutgoingProperties;
import dev.mq.core.testing.ForAll;
import dev.mq.core.testing.Gen;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A message's properties written piece by piece straight into the frame ({@link OutgoingProperties})
 * give the same bytes as the property string built first and escaped whole, and read back to the same
 * string; their UTF-8 length and batch-record form agree with the string's.
 */
class OutgoingPropertiesFrameTest {

    @Test
    void anyMessageWritesTheBytesOfItsPropertyString() {
        ForAll.check("properties into the frame", 2_000, OutgoingPropertiesFrameTest::randomMessage, m -> {
            assertSameAsString(OutgoingProperties.of(m, "7F0000010001ABCDEF0123456789ABCD", true),
                    MessageProperties.encode(m, "7F0000010001ABCDEF0123456789ABCD", true));
        });
    }

    @Test
    void edgeCases() {
        // Nothing of the user's: only UNIQ_KEY and WAIT, or only WAIT.
        Message bare = Message.builder("T").body("x").build();
        assertSameAsString(OutgoingProperties.of(bare, "ID", true), "UNIQ_KEY\u0001ID\u0002WAIT\u0001true\u0002");
        assertSameAsString(OutgoingProperties.of(bare, null, false), "WAIT\u0001false\u0002");
        // JSON's specials, control characters, unicode off the BMP and inside it, keys joined by spaces.
        Message nasty = Message.builder("T").tags("t\"a\\g").keys("k 1", "中文", "😀")
                .property("quote\"", "back\\slash").property("line", "a\nb\tc\u001f\u007f")
                .property("unicode", "é ß 中 \u2028 𝄞").property("empty-looking", " ").body("x").build();
        assertSameAsString(OutgoingProperties.of(nasty, "ID", true), MessageProperties.encode(nasty, "ID", true));
        // An empty value and an empty name (refused at send by validation, but written as the string would be).
        Message empty = Message.builder("T").property("name", "").property("", "value").body("x").build();
        assertSameAsString(OutgoingProperties.of(empty, "ID", true), MessageProperties.encode(empty, "ID", true));
        // A lone surrogate is written as '?' in UTF-8 both ways, and counts one byte.
        Message lone = Message.builder("T").property("p", "a\uD800b").body("x").build();
        assertSameAsString(OutgoingProperties.of(lone, "ID", true), MessageProperties.encode(lone, "ID", true));
        // Each delay form.
        for (Message delayed : List.of(Message.builder("T").delayLevel(3).body("x").build(),
                Message.builder("T").deliveryDelay(Duration.ofSeconds(5)).body("x").build(),
                Message.builder("T").deliverAt(Instant.ofEpochMilli(1_700_000_000_123L)).body("x").build())) {
            assertSameAsString(OutgoingProperties.of(delayed, "ID", true),
                    MessageProperties.encode(delayed, "ID", true));
        }
    }

    @Test
    void addedPairsFollowTheMessagesOwn() {
        Message m = Message.builder("T").tags("tag").keys("key").property("p", "v").body("x").build();
        String request = MessageProperties.requestFields("corr-1", "client@host", 3_000);
        OutgoingProperties properties = OutgoingProperties.of(m, "ID", true).plus(request).plus("X\u0001ü\u0002");
        String expected = MessageProperties.encode(m, "ID", true) + request + "X\u0001ü\u0002";
        assertSameAsString(properties, expected);
        assertThat(MessageProperties.decode(properties.toString())).containsEntry(MessageProperties.CORRELATION_ID,
                "corr-1").containsEntry(MessageProperties.TTL, "3000").containsEntry("X", "ü").containsEntry("p", "v");
        assertSameAsString(OutgoingProperties.ofEncoded("WAIT\u0001true\u0002"), "WAIT\u0001true\u0002");
    }

    @Test
    void tooLongPropertiesAreRefusedAsTheStringWouldBe() {
        Message m = Message.builder("T").property("big", "中".repeat(11_000)).body("x").build(); // 33,000 bytes
        assertThatThrownBy(() -> OutgoingProperties.of(m, "ID", true)).isInstanceOf(MQException.class)
                .hasMessageContaining("at most " + MessageProperties.MAX_UTF8_LENGTH);
        Message fits = Message.builder("T").property("big", "x".repeat(32_000)).body("x").build();
        OutgoingProperties properties = OutgoingProperties.of(fits, "ID", true);
        assertThatThrownBy(() -> properties.plus("y\u0001" + "z".repeat(1_000) + "\u0002"))
                .isInstanceOf(MQException.class);
    }

    private static void assertSameAsString(OutgoingProperties properties, String expected) {
        assertThat(properties.toString()).isEqualTo(expected);
        assertThat(properties.utf8Length()).isEqualTo(MessageProperties.utf8Length(expected));
        assertThat(frame(w -> w.field("i", properties))).isEqualTo(frame(w -> w.field("i", expected)));
        ByteBuf record = ByteBufAllocator.DEFAULT.heapBuffer();
        try {
            properties.writeUtf8(record);
            assertThat(ByteBufUtil.getBytes(record)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
        } finally {
            record.release();
        }
        // Read back as a broker would: the header field is the property string.
        assertThat(extField(frame(w -> w.field("i", properties)), "i")).isEqualTo(
                new String(expected.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    /** The whole frame (a request with fields "a" and then {@code header}'s), as bytes. */
    private static byte[] frame(CommandHeader header) {
        CommandHeader withFirst = w -> {
            w.field("a", "group");
            header.writeTo(w);
        };
        ByteBuf out = FrameEncoder.encode(OutboundFrame.request(310, withFirst, null), 42, ByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    private static Message randomMessage(Random r) {
        Message.Builder b = Message.builder("T").body("x");
        int properties = r.nextInt(4);
        for (int i = 0; i < properties; i++) {
            b.property(Gen.text(r, 12), Gen.text(r, 20));
        }
        if (r.nextBoolean()) {
            b.tags(Gen.text(r, 10));
        }
        int keys = r.nextInt(3);
        List<String> keyList = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            keyList.add(Gen.text(r, 8));
        }
        b.keys(keyList);
        switch (r.nextInt(4)) {
            case 0 -> b.delayLevel(1 + r.nextInt(18));
            case 1 -> b.deliveryDelay(Duration.ofMillis(r.nextInt(100_000)));
            case 2 -> b.deliverAt(Instant.ofEpochMilli(r.nextLong() & Long.MAX_VALUE));
            default -> { }
        }
        return b.build();
    }

    /** The frame's header (it has no body) read by the client's own reader: the value of ext field {@code name}. */
    private static @Nullable String extField(byte[] frame, String name) {
        return JsonHeaderReader.read(frame, 8, frame.length - 8, null).extFields().get(name);
    }
}
