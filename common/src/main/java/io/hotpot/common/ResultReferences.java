package io.hotpot.common;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * References to the result of the task before, in the arguments of a later task of a chain: a
 * string argument (at any depth) that is exactly {@code "$result"} stands for that whole result,
 * and {@code "$result/a/0"} for the part a JSON Pointer (RFC 6901) names in it. api-service checks
 * them when a chain is submitted; the worker replaces them before the handler reads its arguments.
 */
public final class ResultReferences {
    /** What a reference starts with. */
    public static final String MARK = "$result";

    private ResultReferences() {
    }

    /**
     * Every reference in {@code args}, by where it is ({@code args.x}, {@code args.rows[2]}) and what
     * it says; {@link IllegalArgumentException} naming the place when a pointer is malformed.
     */
    public static Map<String, String> find(JsonNode args) {
        Map<String, String> found = new LinkedHashMap<>();
        walk(args, "args", found);
        return found;
    }

    private static void walk(JsonNode node, String at, Map<String, String> found) {
        if (node == null) {
            return;
        }
        if (isReference(node)) {
            pointer(node.asText(), at);
            found.put(at, node.asText());
        } else if (node.isObject()) {
            node.properties().forEach(e -> walk(e.getValue(), at + "." + e.getKey(), found));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), at + "[" + i + "]", found);
            }
        }
    }

    /**
     * {@code args} with every reference replaced by what it names in {@code previous}; an
     * {@link IllegalArgumentException} naming the place when the result holds nothing there.
     */
    public static JsonNode resolve(JsonNode args, JsonNode previous) {
        return replace(args == null ? null : args.deepCopy(), previous == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance()
                : previous, "args");
    }

    private static JsonNode replace(JsonNode node, JsonNode previous, String at) {
        if (node == null) {
            return null;
        }
        if (isReference(node)) {
            JsonNode value = previous.at(pointer(node.asText(), at));
            if (value.isMissingNode()) {
                throw new IllegalArgumentException(at + " is " + node.asText() + ", but the result of the task before has no "
                        + node.asText().substring(MARK.length()) + " (it was " + abbreviated(previous) + ")");
            }
            return value.deepCopy();
        }
        if (node instanceof ObjectNode object) {
            object.properties().forEach(e -> e.setValue(replace(e.getValue(), previous, at + "." + e.getKey())));
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, replace(array.get(i), previous, at + "[" + i + "]"));
            }
            return array;
        }
        return node;
    }

    private static boolean isReference(JsonNode node) {
        return node.isTextual() && (node.asText().equals(MARK) || node.asText().startsWith(MARK + "/"));
    }

    private static JsonPointer pointer(String reference, String at) {
        try {
            return JsonPointer.compile(reference.substring(MARK.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + " is " + reference + ", which is not $result followed by a JSON"
                    + " Pointer such as $result/total: " + e.getMessage());
        }
    }

    private static String abbreviated(JsonNode value) {
        String text = value.toString();
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
