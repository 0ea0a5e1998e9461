package io.hotpot.common;

import java.util.Collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How sensitive task arguments are written wherever a task is shown (records, and through them
 * the API, the dashboard and the report): the value is replaced by {@link #MASK}. The message on
 * RabbitMQ keeps the real value, so the handler receives it.
 */
public final class SensitiveArgs {
    /** What a sensitive argument's value reads as. */
    public static final String MASK = "***";

    private SensitiveArgs() {
    }

    /** A copy of {@code args} with the named fields masked; {@code args} itself when there is nothing to mask. */
    public static JsonNode mask(JsonNode args, Collection<String> sensitive) {
        if (args == null || !args.isObject() || sensitive == null || sensitive.isEmpty()) {
            return args;
        }
        ObjectNode copy = ((ObjectNode) args).deepCopy();
        for (String name : sensitive) {
            if (copy.has(name) && !copy.get(name).isNull()) {
                copy.put(name, MASK);
            }
        }
        return copy;
    }
}
