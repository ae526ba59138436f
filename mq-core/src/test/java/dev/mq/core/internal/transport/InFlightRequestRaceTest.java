package dev.mq.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MQException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.IllegalReferenceCountException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A request's frame is handed over between threads: the event loop takes it to write it (or releases
 * it for a request already done), while a timer or a closing thread may fail the request at the same
 * moment. Whatever the interleaving, the frame is released exactly once and never after it was taken.
 */
class InFlightRequestRaceTest {

    private static final ResponseCallback IGNORE = new ResponseCallback() {
        @Override
        public void onResponse(RemotingCommand response) {
        }

        @Override
        public void onFailure(MQException error) {
        }
    };

    @Test
    void aFrameIsReleasedExactlyOnceWhenAFailureRacesTheWriter() throws Exception {
        int rounds = 50_000;
        CyclicBarrier start = new CyclicBarrier(2);
        AtomicInteger misuse = new AtomicInteger();
        ByteBuf[] frames = new ByteBuf[rounds];
        InFlightRequest[] requests = new InFlightRequest[rounds];
        // Never used here (the writer and the failer are this test's threads): only what the requests name.
        Connection connection = new Connection("127.0.0.1:1", new DefaultEventLoop(), 0);
        for (int i = 0; i < rounds; i++) {
            frames[i] = Unpooled.buffer(8).writeLong(i);
            requests[i] = new InFlightRequest(i, false, connection, frames[i], IGNORE);
        }
        Thread failer = new Thread(() -> {
            for (int i = 0; i < rounds; i++) {
                await(start);
                try {
                    requests[i].fail(new MQException(MQException.Reason.TIMEOUT, "deadline"));
                } catch (IllegalReferenceCountException e) {
                    misuse.incrementAndGet();
                }
            }
        }, "failer");
        failer.start();
        for (int i = 0; i < rounds; i++) {
            await(start);
            InFlightRequest request = requests[i];
            try {
                if (request.isDone()) {
                    request.releaseFrame(); // what the writer does with a request that expired while queued
                } else {
                    ByteBuf frame = request.takeFrame();
                    if (frame != null) {
                        frame.getLong(0); // "written": must still be readable
                        frame.release();  // the channel releases it once written
                    }
                }
            } catch (IllegalReferenceCountException e) {
                misuse.incrementAndGet();
            }
        }
        failer.join(10_000);
        int leaked = 0;
        for (ByteBuf frame : frames) {
            if (frame.refCnt() != 0) {
                leaked++;
            }
        }
        assertThat(misuse.get()).as("frames released twice or used after release").isZero();
        assertThat(leaked).as("frames never released").isZero();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
