/**
 * The part of the broker launcher that does not touch RocketMQ: the line protocol a node speaks with
 * the test JVM, argument parsing, the STOP and end-of-input handling, and what every broker does the
 * same way on either release line (options, the waits until the NameServer shows a registration or a
 * topic, the store sizes for a small machine).
 *
 * <p>These sources are not a module of their own: {@code mq-test-broker} (RocketMQ 5.x) and
 * {@code mq-test-broker-4} (RocketMQ 4.9) each compile them into their own jar next to their
 * release-specific classes ({@code NodeMain}, {@code NameServerNode}, {@code BrokerNode}), so each
 * launcher stays one self-contained jar on its RocketMQ's classpath. Nothing here may import
 * {@code org.apache.rocketmq}: the same source is compiled against two incompatible releases.
 */
package dev.mq.test.launcher;
