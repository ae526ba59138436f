package dev.mq.core.consumer;

import dev.mq.core.MQException;
import java.util.Objects;

/**
 * Which messages of a topic a subscription receives: a tag expression ({@code "created || paid"},
 * or {@code "*"} for all), filtered by the broker by tag hash and re-checked by the client, or an
 * SQL92 expression over message properties ({@code "region = 'eu' AND amount > 100"}), evaluated by
 * the broker — only where the broker enables property filtering ({@code enablePropertyFilter=true}).
 */
public final class MessageSelector {

    /** How the expression is read. */
    public enum Type {
        /** Tags separated by {@code ||}; {@code *} for every message. */
        TAG,
        /** An SQL92 condition over message properties (and {@code TAGS}). */
        SQL92
    }

    private static final MessageSelector ALL = new MessageSelector(Type.TAG, "*");

    private final Type type;
    private final String expression;

    private MessageSelector(Type type, String expression) {
        this.type = type;
        this.expression = expression;
    }

    /** Every message of the topic. */
    public static MessageSelector all() {
        return ALL;
    }

    /**
     * Messages whose tag is one of those in {@code expression}, separated by {@code ||}; {@code *}
     * for all.
     *
     * @throws MQException VALIDATION if the expression is null or blank
     */
    public static MessageSelector tags(String expression) {
        if (expression == null || expression.isBlank()) {
            throw MQException.validation("tag expression '" + expression + "' is blank: use \"*\" for every tag");
        }
        return expression.trim().equals("*") ? ALL : new MessageSelector(Type.TAG, expression.trim());
    }

    /**
     * Messages for which the SQL92 {@code condition} holds, evaluated by the broker.
     *
     * @throws MQException VALIDATION if the condition is null or blank
     */
    public static MessageSelector sql92(String condition) {
        if (condition == null || condition.isBlank()) {
            throw MQException.validation("SQL92 condition '" + condition + "' is blank");
        }
        return new MessageSelector(Type.SQL92, condition.trim());
    }

    public Type type() {
        return type;
    }

    public String expression() {
        return expression;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageSelector other && type == other.type && expression.equals(other.expression);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, expression);
    }

    @Override
    public String toString() {
        return type + "(" + expression + ")";
    }
}
