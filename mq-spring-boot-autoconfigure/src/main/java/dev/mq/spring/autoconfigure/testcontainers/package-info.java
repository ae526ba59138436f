/**
 * A RocketMQ Testcontainers container and its {@code @ServiceConnection} connection details.
 */
@NullMarked
package dev.mq.spring.autoconfigure.testcontainers;

import org.jspecify.annotations.NullMarked;
