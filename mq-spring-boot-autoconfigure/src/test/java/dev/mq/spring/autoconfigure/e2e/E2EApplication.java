package dev.mq.spring.autoconfigure.e2e;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A bare application for the end-to-end test: everything comes from auto-configuration. */
@SpringBootApplication
public class E2EApplication {
}
