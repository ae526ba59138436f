package dev.mq.samples;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample: {@code POST /orders} sends an order as JSON, a demo sends in all three modes at
 * start-up, and Actuator shows {@code health} and {@code metrics}. Without {@code mq.name-server} it
 * runs the real RocketMQ embedded (see {@link EmbeddedRocketMQDefault}).
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
