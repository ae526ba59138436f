package dev.mq.core.internal.protocol;

/**
 * How one broker hosts a topic, as the name server reports it.
 *
 * @param brokerName     the broker (group) name
 * @param readQueueNums  number of readable queues
 * @param writeQueueNums number of writable queues; a producer uses queue ids below it
 * @param perm           {@link PermName} bits; publish only if {@link PermName#isWriteable}
 * @param topicSysFlag   unit flags (0x1 unit, 0x2 unit-sub)
 */
public record QueueData(String brokerName, int readQueueNums, int writeQueueNums, int perm, int topicSysFlag) {
}
