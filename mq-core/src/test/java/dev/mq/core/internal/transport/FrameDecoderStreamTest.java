package dev.mq.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The frame decoder reads each frame where it lies in the received stream (no frame slice): what
 * that must not break.
 */
class FrameDecoderStreamTest {

    @Test
    void bodiesKeptAsTheReceivedBufferStayIntactWhileLaterFramesArriveInTheSameStream() {
        // Every response's body stays in the received memory; the decoder's stream buffer keeps
        // growing and being read past while they are held. A body that moved or was overwritten
        // under its holder would show here as different bytes.
        Random r = new Random(17);
        List<byte[]> bodies = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 40; i++) {
            byte[] body = new byte[1 + r.nextInt(3000)];
            r.nextBytes(body);
            bodies.add(body);
            ByteBuf frame = FrameEncoder.encode(OutboundFrame.response(i, 0, "r" + i, body), 0,
                    ByteBufAllocator.DEFAULT);
            stream.writeBytes(ByteBufUtil.getBytes(frame));
            frame.release();
        }
        byte[] all = stream.toByteArray();
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(opaque -> true));
        List<RemotingCommand> decoded = new ArrayList<>();
        for (int at = 0; at < all.length; ) {
            int n = Math.min(all.length - at, 1 + r.nextInt(r.nextBoolean() ? 16 : 5000));
            ByteBuf chunk = ByteBufAllocator.DEFAULT.directBuffer(n).writeBytes(all, at, n);
            channel.writeInbound(chunk);
            at += n;
            for (Object o; (o = channel.readInbound()) != null; ) {
                decoded.add((RemotingCommand) o);
            }
        }
        assertThat(channel.finish()).isFalse();
        assertThat(decoded).hasSize(bodies.size());
        List<ByteBuf> held = new ArrayList<>();
        for (int i = 0; i < decoded.size(); i++) {
            RemotingCommand command = decoded.get(i);
            assertThat(command.opaque()).isEqualTo(i);
            assertThat(command.remark()).isEqualTo("r" + i);
            ByteBuf body = command.bodyBuffer();
            assertThat(body).isNotNull();
            assertThat(ByteBufUtil.getBytes(body)).as("body %d", i).isEqualTo(bodies.get(i));
            held.add(body);
        }
        // Bodies that arrived in one stream buffer share its count: it goes back once all are released.
        decoded.forEach(RemotingCommand::release);
        assertThat(held).allSatisfy(body -> assertThat(body.refCnt()).isZero());
    }

    @Test
    void afterAMalformedFrameNothingMoreOfTheStreamIsDecoded() {
        // The frame's length was readable, but what it holds is not a frame: the connection is
        // closed on the error, and nothing that follows may pass for an answer meanwhile.
        byte[] good = Frames.jsonFrame("{\"code\":0,\"opaque\":7,\"flag\":1}", null);
        ByteBuf broken = Unpooled.buffer().writeInt(8).writeInt(0x05000000).writeInt(0);
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        assertThat(channel.writeInbound(Unpooled.wrappedBuffer(good))).isTrue();
        assertThat(((RemotingCommand) channel.readInbound()).opaque()).isEqualTo(7);

        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(broken,
                Unpooled.wrappedBuffer(good)))).isInstanceOf(CorruptedFrameException.class)
                .hasMessageContaining("serialize type 5");
        assertThat(channel.writeInbound(Unpooled.wrappedBuffer(good))).isFalse();
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aFrameIsDecodedOnlyOnceAllOfItHasArrivedAndTheNextOneStartsRightAfterIt() {
        byte[] first = Frames.jsonFrame("{\"code\":0,\"opaque\":1,\"flag\":1}", "one".getBytes(StandardCharsets.UTF_8));
        byte[] second = Frames.jsonFrame("{\"code\":0,\"opaque\":2,\"flag\":1}", "two!".getBytes(StandardCharsets.UTF_8));
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        int cut = first.length + second.length - 1; // all but the second frame's last byte
        assertThat(channel.writeInbound(Unpooled.wrappedBuffer(both, 0, cut))).isTrue();
        RemotingCommand one = channel.readInbound();
        assertThat(one.opaque()).isEqualTo(1);
        assertThat(one.body()).isEqualTo("one".getBytes(StandardCharsets.UTF_8));
        assertThat((Object) channel.readInbound()).as("the second frame lacks a byte").isNull();
        channel.writeInbound(Unpooled.wrappedBuffer(both, cut, 1));
        RemotingCommand two = channel.readInbound();
        assertThat(two.opaque()).isEqualTo(2);
        assertThat(two.body()).isEqualTo("two!".getBytes(StandardCharsets.UTF_8));
        assertThat(channel.finish()).isFalse();
    }
}
