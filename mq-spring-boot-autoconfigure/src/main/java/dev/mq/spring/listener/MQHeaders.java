package dev.mq.spring.listener;

/**
 * Names of the headers an {@link MQListener} method can read with {@code @Header}, and that a Spring
 * {@code Message} handed to it carries. User properties are headers under their own names (a
 * producer's {@code traceparent}, {@code contentType}, or any property the application set).
 * {@link #KEYS} and {@link #TAGS} are the names {@code MQTemplate} maps on sending.
 */
public final class MQHeaders {

    /** The message keys: a {@code List<String>}, or a {@code String} of space-separated keys. */
    public static final String KEYS = "KEYS";
    /** The tag, a {@code String}; absent when the message has none. */
    public static final String TAGS = "TAGS";
    /** The topic, as the application names it. */
    public static final String TOPIC = "mq_topic";
    /** The message id ({@code UNIQ_KEY}): what the producer's send returned. */
    public static final String MESSAGE_ID = "mq_messageId";
    /** The broker's offset message id; absent when unknown. */
    public static final String OFFSET_MESSAGE_ID = "mq_offsetMessageId";
    /** The queue, a {@link dev.mq.core.MessageQueue} (its {@code toString()} as a {@code String}). */
    public static final String QUEUE = "mq_queue";
    /** The queue id, an {@code int}. */
    public static final String QUEUE_ID = "mq_queueId";
    /** The broker name of the queue. */
    public static final String BROKER_NAME = "mq_brokerName";
    /** The message's offset in its queue, a {@code long}. */
    public static final String QUEUE_OFFSET = "mq_queueOffset";
    /** How many times the message was delivered before, an {@code int} (0 on the first delivery). */
    public static final String RECONSUME_TIMES = "mq_reconsumeTimes";
    /** When the producer created the message, epoch milliseconds. */
    public static final String BORN_TIMESTAMP = "mq_bornTimestamp";
    /** When the broker stored it, epoch milliseconds. */
    public static final String STORE_TIMESTAMP = "mq_storeTimestamp";
    /** The producer's address; absent when unknown. */
    public static final String BORN_HOST = "mq_bornHost";

    private MQHeaders() {
    }
}
