package dev.mq.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AclSignerTest {

    private final AclSigner signer = new AclSigner(new Credentials("ak", "sk"));

    @Test
    void signsLikeRocketMQsOwnHookForTheFactSheetVector() {
        // extFields {topic: T}, body BODY, AK ak, SK sk -> signed bytes "akTBODY".
        OutboundFrame signed = signer.sign(OutboundFrame.request(105, CommandHeader.of(Map.of("topic", "T")),
                "BODY".getBytes(StandardCharsets.UTF_8)));
        ByteBuf frame = FrameEncoder.encode(signed, 1, ByteBufAllocator.DEFAULT);
        try {
            frame.readInt();
            RemotingCommand decoded = FrameDecoder.decodeFrame(frame);
            assertThat(decoded.extFields()).containsEntry("AccessKey", "ak")
                    .containsEntry("Signature", "2euUzx94Db3KbSqH7L0P4fb2oM8=")
                    .containsEntry("topic", "T");
        } finally {
            frame.release();
        }
    }

    @Test
    void secretNeverShowsInToString() {
        assertThat(new Credentials("ak", "very-secret").toString()).contains("ak").doesNotContain("very-secret");
    }
}
