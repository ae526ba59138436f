package dev.mq.samples;

import dev.mq.test.EmbeddedRocketMQ;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the real Apache RocketMQ NameServer and Broker embedded (in child JVMs) and keeps them
 * running until the process is stopped, printing the address a client would use.
 */
public final class SampleApplication {

    private SampleApplication() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedRocketMQ mq = EmbeddedRocketMQ.builder().build().start();
        mq.createTopic("SampleTopic", 4);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mq.close();
            stopped.countDown();
        }, "sample-shutdown"));
        System.out.println("Embedded RocketMQ " + mq + " is running; topic SampleTopic created.");
        System.out.println("mq.name-server=" + mq.nameServerAddress() + "  (Ctrl+C to stop)");
        stopped.await();
    }
}
