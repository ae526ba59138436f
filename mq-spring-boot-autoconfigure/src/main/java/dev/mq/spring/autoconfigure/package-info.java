/**
 * Spring Boot auto-configuration of the mq client: {@link dev.mq.spring.autoconfigure.MQTemplate},
 * the {@code mq.*} properties, producers, listeners' machinery, metrics, observation, health and the
 * transaction log. Optional properties and values are declared {@code @Nullable}; everything else is
 * non-null.
 */
@NullMarked
package dev.mq.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
