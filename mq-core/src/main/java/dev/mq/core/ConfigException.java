package dev.mq.core;

import org.jspecify.annotations.Nullable;

/**
 * A setting that was refused: a {@link Reason#VALIDATION} error that also says which setting and
 * what value. {@link #setting()} is the name of the builder method that takes it ({@code sendTimeout},
 * {@code maxInFlightBytes}, {@code ioThreads}); a setting of a nested value is prefixed with the
 * builder method that takes the value ({@code autoBatching.linger}). A check that compares two
 * settings names the one it refuses (the in-flight byte cap below the max message size refuses
 * {@code maxInFlightBytes}).
 *
 * <p>Code that maps settings from elsewhere, such as the Spring Boot starter from its properties,
 * catches this exception and names its own key for {@link #setting()}, so that every check lives in
 * the builder once.
 */
public final class ConfigException extends MQException {

    private static final long serialVersionUID = 1L;

    private final String setting;
    /** Settings may hold values that are not serializable (executors, hooks): they do not travel. */
    private final transient @Nullable Object value;

    /**
     * @param setting the builder method's name, see the class description
     * @param value   the value refused, possibly null
     * @param message what is wrong and what is allowed, naming the value
     */
    public ConfigException(String setting, @Nullable Object value, @Nullable String message) {
        super(Reason.VALIDATION, message);
        this.setting = setting;
        this.value = value;
    }

    /** The refused setting's name, for example {@code retries} or {@code autoBatching.maxBytes}. */
    public String setting() {
        return setting;
    }

    /** The value refused; null when the setting was null or missing. */
    public @Nullable Object value() {
        return value;
    }
}
