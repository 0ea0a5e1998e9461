package io.hotpot.common;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonPointer;

/**
 * What a task type's result looks like, as its workers advertise it ({@link TaskTypeInfo#result}),
 * so api-service can refuse a chain whose {@code "$result/…"} reference names a part the result of
 * the task before cannot have. A type whose handler does not say stays unknown ({@code null}) and
 * its references are checked when the task runs.
 *
 * @param type   the JSON type of the value; {@code null}: not known
 * @param fields for an object whose fields are all known (a record): each field's shape; {@code null}
 *               for an object of any fields (a map)
 * @param items  for an array: the shape of its elements, when known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultShape(ArgType type, Map<String, ResultShape> fields, ResultShape items) {

    public ResultShape {
        fields = fields == null ? null : Map.copyOf(fields);
    }

    /**
     * Why {@code reference} ({@code "$result"} or {@code "$result/a/0"}) names nothing in a value of
     * this shape, or {@code null} when it may name something.
     */
    public String missing(String reference) {
        ResultShape shape = this;
        String path = "";
        for (JsonPointer at = JsonPointer.compile(reference.substring(ResultReferences.MARK.length())); !at.matches();
                at = at.tail()) {
            String step = at.getMatchingProperty();
            String here = path.isEmpty() ? "the result" : "its " + path.substring(1);
            if (shape.type == null) {
                return null; // a part whose shape is not known
            }
            if (shape.type == ArgType.OBJECT) {
                if (shape.fields == null) {
                    return null; // a map: any field may be there
                }
                ResultShape field = shape.fields.get(step);
                if (field == null) {
                    return here + " has no field '" + step + "' (it has " + String.join(", ",
                            new java.util.TreeSet<>(shape.fields.keySet())) + ")";
                }
                shape = field;
            } else if (shape.type == ArgType.ARRAY) {
                if (at.getMatchingIndex() < 0) {
                    return here + " is an array: '" + step + "' is not an index";
                }
                if (shape.items == null) {
                    return null;
                }
                shape = shape.items;
            } else {
                return here + " is " + shape.type.name().toLowerCase(java.util.Locale.ROOT) + ", which has no '" + step + "'";
            }
            path = path + "/" + step;
        }
        return null;
    }
}
