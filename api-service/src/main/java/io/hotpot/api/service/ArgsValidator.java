package io.hotpot.api.service;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.hotpot.common.ArgSpec;
import io.hotpot.common.ArgType;
import io.hotpot.common.TaskTypeInfo;

/** Checks a task's {@code args} against the arguments its handler advertises. */
public final class ArgsValidator {
    private ArgsValidator() {
    }

    /**
     * The problems with {@code args} for this type; empty when they fit. A type declared by
     * configuration without {@code args} takes any arguments until a worker advertises it.
     */
    public static List<Problem.FieldError> check(TaskTypeInfo type, JsonNode args) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (type.args() == null) {
            return errors;
        }
        for (ArgSpec spec : type.args()) {
            JsonNode value = args.get(spec.name());
            String field = "args." + spec.name();
            if (value == null || value.isNull()) {
                if (spec.required()) {
                    errors.add(new Problem.FieldError(field, "is required (" + describe(spec.type()) + ")"));
                }
            } else if (!fits(spec.type(), value)) {
                errors.add(new Problem.FieldError(field, "must be " + describe(spec.type())
                        + ", got " + value.getNodeType().name().toLowerCase()));
            }
        }
        Set<String> known = type.args().stream().map(ArgSpec::name).collect(Collectors.toSet());
        for (Iterator<String> names = args.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add(new Problem.FieldError("args." + name, "is not an argument of '" + type.type()
                        + "' (it takes " + (known.isEmpty() ? "none" : String.join(", ", known.stream().sorted().toList()))
                        + ")"));
            }
        }
        return errors;
    }

    private static boolean fits(ArgType type, JsonNode value) {
        return switch (type) {
            case INTEGER -> value.isIntegralNumber() || (value.isNumber() && value.canConvertToExactIntegral());
            case NUMBER -> value.isNumber();
            case STRING -> value.isTextual();
            case BOOLEAN -> value.isBoolean();
            case OBJECT -> value.isObject();
            case ARRAY -> value.isArray();
        };
    }

    private static String describe(ArgType type) {
        return switch (type) {
            case INTEGER -> "an integer";
            case NUMBER -> "a number";
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
        };
    }
}
