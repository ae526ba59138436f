package dev.mq.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    @Test
    void jsonFrameRoundTripsEveryFieldIncludingControlCharactersAndUnicode() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("a", "group");
        fields.put("i", "KEYS\u0001k1 k2\u0002TAGS\u0001t\u0002");
        fields.put("quote", "say \"hi\" \\ back");
        fields.put("unicode", "héllo ✓ 😀");
        byte[] body = "BODY".getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = FrameEncoder.encode(OutboundFrame.request(310, CommandHeader.of(fields), body), 42,
                ByteBufAllocator.DEFAULT);
        try {
            int total = frame.readInt();
            assertThat(total).isEqualTo(frame.readableBytes());
            RemotingCommand decoded = FrameDecoder.decodeFrame(frame);
            assertThat(decoded.code()).isEqualTo(310);
            assertThat(decoded.opaque()).isEqualTo(42);
            assertThat(decoded.flag()).isZero();
            assertThat(decoded.version()).isEqualTo(FrameEncoder.PROTOCOL_VERSION);
            assertThat(decoded.language()).isEqualTo("JAVA");
            assertThat(decoded.extFields()).isEqualTo(fields);
            assertThat(decoded.body()).isEqualTo(body);
        } finally {
            frame.release();
        }
    }

    @Test
    void headerWordCarriesJsonTypeAndHeaderLength() {
        ByteBuf frame = FrameEncoder.encode(OutboundFrame.oneway(37, CommandHeader.EMPTY, null), 7,
                ByteBufAllocator.DEFAULT);
        try {
            int total = frame.getInt(0);
            int headerWord = frame.getInt(4);
            assertThat(headerWord >>> 24).isZero();
            assertThat(total).isEqualTo(4 + (headerWord & 0xFFFFFF));
            String json = frame.toString(8, headerWord & 0xFFFFFF, StandardCharsets.UTF_8);
            assertThat(json).contains("\"code\":37", "\"flag\":2", "\"opaque\":7", "\"extFields\":{}",
                    "\"language\":\"JAVA\"", "\"version\":479");
        } finally {
            frame.release();
        }
    }

    @Test
    void responseFrameCarriesTheRequestsOpaqueAndRemark() {
        ByteBuf frame = FrameEncoder.encode(OutboundFrame.response(99, 3, "not supported"), 1, ByteBufAllocator.DEFAULT);
        try {
            frame.readInt();
            RemotingCommand decoded = FrameDecoder.decodeFrame(frame);
            assertThat(decoded.isResponse()).isTrue();
            assertThat(decoded.opaque()).isEqualTo(99);
            assertThat(decoded.remark()).isEqualTo("not supported");
        } finally {
            frame.release();
        }
    }

    @Test
    void decodesTheBinaryHeaderOfTheFactSheetExample() {
        // GET_ROUTEINFO_BY_TOPIC, topic "T", opaque 2, version 479, as RocketMQ's binary header writes it.
        ByteBuf frame = Unpooled.buffer();
        frame.writeInt(0x01000021);
        frame.writeShort(105).writeByte(0).writeShort(479).writeInt(2).writeInt(0).writeInt(0);
        frame.writeInt(12).writeShort(5).writeBytes("topic".getBytes(StandardCharsets.UTF_8))
                .writeInt(1).writeBytes("T".getBytes(StandardCharsets.UTF_8));
        RemotingCommand decoded = FrameDecoder.decodeFrame(frame);
        assertThat(decoded.code()).isEqualTo(105);
        assertThat(decoded.language()).isEqualTo("JAVA");
        assertThat(decoded.version()).isEqualTo(479);
        assertThat(decoded.opaque()).isEqualTo(2);
        assertThat(decoded.remark()).isNull();
        assertThat(decoded.extFields()).containsExactly(Map.entry("topic", "T"));
        assertThat(decoded.body()).isNull();
    }

    @Test
    void decodesAJsonHeaderWrittenByARealBroker() {
        String json = "{\"code\":0,\"extFields\":{\"queueId\":\"1\",\"msgId\":\"7F00000100002A9F\",\"queueOffset\":\"5\"},"
                + "\"flag\":1,\"language\":\"JAVA\",\"opaque\":7,\"serializeTypeCurrentRPC\":\"JSON\",\"version\":479}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = Unpooled.buffer().writeInt(header.length).writeBytes(header);
        RemotingCommand decoded = FrameDecoder.decodeFrame(frame);
        assertThat(decoded.isResponse()).isTrue();
        assertThat(decoded.opaque()).isEqualTo(7);
        assertThat(decoded.field("queueOffset")).isEqualTo("5");
    }

    @Test
    void rejectsHeaderLongerThanTheFrame() {
        ByteBuf frame = Unpooled.buffer().writeInt(100).writeBytes(new byte[10]);
        assertThatThrownBy(() -> FrameDecoder.decodeFrame(frame)).isInstanceOf(CorruptedFrameException.class)
                .hasMessageContaining("exceeds the frame");
    }

    @Test
    void rejectsBrokenJsonAndUnknownSerializeTypes() {
        byte[] broken = "{\"code\":".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> FrameDecoder.decodeFrame(Unpooled.buffer().writeInt(broken.length).writeBytes(broken)))
                .isInstanceOf(CorruptedFrameException.class);
        assertThatThrownBy(() -> FrameDecoder.decodeFrame(Unpooled.buffer().writeInt(0x05000000)))
                .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("serialize type 5");
    }

    @Test
    void numericHeaderFieldsTravelAsDecimalStrings() {
        CommandHeader numbers = w -> {
            w.field("zero", 0);
            w.field("int", -2147483648);
            w.field("long", 9223372036854775807L);
            w.field("negative", -42L);
            w.field("min", Long.MIN_VALUE);
            w.field("flag", true);
        };
        ByteBuf frame = FrameEncoder.encode(OutboundFrame.request(310, numbers, null), 1234567, ByteBufAllocator.DEFAULT);
        try {
            frame.readInt();
            RemotingCommand decoded = FrameDecoder.decodeFrame(frame);
            assertThat(decoded.opaque()).isEqualTo(1234567);
            assertThat(decoded.extFields()).containsEntry("zero", "0").containsEntry("int", "-2147483648")
                    .containsEntry("long", "9223372036854775807").containsEntry("negative", "-42")
                    .containsEntry("min", Long.toString(Long.MIN_VALUE)).containsEntry("flag", "true");
        } finally {
            frame.release();
        }
    }

    @Test
    void aResponseBodyTakenAsABufferStaysInTheFrameUntilTheCommandIsReleased() {
        byte[] body = "PULLED MESSAGES".getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = FrameEncoder.encode(OutboundFrame.response(42, 0, "found", body), 0, ByteBufAllocator.DEFAULT);
        frame.skipBytes(4);

        RemotingCommand decoded = FrameDecoder.decodeFrame(frame, opaque -> opaque == 42);
        frame.release(); // as the decoder does once a frame is decoded

        ByteBuf held = decoded.bodyBuffer();
        assertThat(held).isNotNull();
        assertThat(held.refCnt()).as("the command's slice keeps the frame's memory").isEqualTo(1);
        assertThat(ByteBufUtil.getBytes(held)).isEqualTo(body);
        assertThat(decoded.body()).as("a copy, for whoever asks for an array").isEqualTo(body);
        assertThat(decoded.remark()).isEqualTo("found");
        decoded.release();
        assertThat(held.refCnt()).isZero();
        assertThat(decoded.bodyBuffer()).isNull();
        decoded.release(); // a second release gives nothing back twice
    }

    @Test
    void requestsAndResponsesNobodyTakesAsABufferGetTheirBodyCopied() {
        byte[] body = "BODY".getBytes(StandardCharsets.UTF_8);
        ByteBuf request = FrameEncoder.encode(OutboundFrame.request(310, CommandHeader.EMPTY, body), 42,
                ByteBufAllocator.DEFAULT);
        ByteBuf response = FrameEncoder.encode(OutboundFrame.response(43, 0, null, body), 0, ByteBufAllocator.DEFAULT);
        try {
            RemotingCommand fromServer = FrameDecoder.decodeFrame(request.skipBytes(4), opaque -> {
                throw new AssertionError("asked about a request the server sent");
            });
            RemotingCommand notTaken = FrameDecoder.decodeFrame(response.skipBytes(4), opaque -> opaque == 42);

            assertThat(fromServer.bodyBuffer()).isNull();
            assertThat(fromServer.body()).isEqualTo(body);
            assertThat(notTaken.bodyBuffer()).isNull();
            assertThat(notTaken.body()).isEqualTo(body);
            assertThat(request.refCnt()).isEqualTo(1);
            assertThat(response.refCnt()).isEqualTo(1);
        } finally {
            request.release();
            response.release();
        }
    }
}
