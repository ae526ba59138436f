package dev.mq.core.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What a logger (and those below it) logs while open, at {@code level} and above; closing restores
 * the logger's level and stops capturing. Safe to read while loggers write.
 */
public final class CapturedLogs implements AutoCloseable {

    private final Logger logger;
    private final Level previous;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private CapturedLogs(String loggerName, Level level) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.previous = logger.getLevel();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(level);
    }

    /** Starts capturing what {@code loggerName} logs at {@code level} and above. */
    public static CapturedLogs of(String loggerName, Level level) {
        return new CapturedLogs(loggerName, level);
    }

    /** The events so far, in order. */
    public List<ILoggingEvent> events() {
        synchronized (appender) { // the appender adds under its own lock
            return List.copyOf(appender.list);
        }
    }

    /** The messages so far at {@code level}, formatted, in order. */
    public List<String> messages(Level level) {
        return events().stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previous);
    }
}
