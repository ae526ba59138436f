package dev.mq.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.testing.ForAll;
import dev.mq.core.testing.Gen;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Strings written into a frame buffer read back, through a JSON parser, as the same strings. */
class JsonStringsWriteTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Test
    void anyTextRoundTripsThroughAParser() {
        ForAll.check("JSON string round trip", 2_000, r -> Gen.text(r, 40), JsonStringsWriteTest::assertRoundTrip);
    }

    @Test
    void stringsLongerThanTheScratchArrayAndPlainOnesToo() {
        assertRoundTrip("k\u0001v\u0002".repeat(40_000)); // escapes to 480,000 bytes
        assertRoundTrip("plain ascii ".repeat(10_000));
        assertRoundTrip("");
    }

    @Test
    void writesAfterWhatTheBufferAlreadyHolds() {
        ByteBuf out = ByteBufAllocator.DEFAULT.ioBuffer(4);
        try {
            out.writeBytes("[".getBytes(StandardCharsets.US_ASCII));
            JsonStrings.write(out, "a\u0001");
            out.writeByte(',');
            JsonStrings.write(out, "b");
            out.writeByte(']');
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("[\"a\\u0001\",\"b\"]");
        } finally {
            out.release();
        }
    }

    private static void assertRoundTrip(String s) {
        ByteBuf out = ByteBufAllocator.DEFAULT.ioBuffer(16);
        try {
            JsonStrings.write(out, s);
            String json = out.toString(StandardCharsets.UTF_8);
            // A lone surrogate has no UTF-8 form and is written as '?', as the JDK's encoder does.
            String expected = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            assertThat(MAPPER.readValue(json, String.class)).isEqualTo(expected);
        } finally {
            out.release();
        }
    }
}
