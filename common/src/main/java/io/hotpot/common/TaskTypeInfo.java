package io.hotpot.common;

import java.util.List;

/**
 * A task type as a worker advertises it.
 *
 * @param type      handler type name
 * @param workload  {@code IO} or {@code CPU}: where the worker runs it
 * @param args      the arguments it accepts; any other field is refused
 * @param sensitive the arguments shown masked in task records (an e-mail body, a phone number);
 *                  the handler still receives them as sent
 */
public record TaskTypeInfo(String type, Workload workload, List<ArgSpec> args, List<String> sensitive) {
    public TaskTypeInfo {
        sensitive = sensitive == null ? List.of() : List.copyOf(sensitive);
    }

    /** A type with no sensitive arguments. */
    public TaskTypeInfo(String type, Workload workload, List<ArgSpec> args) {
        this(type, workload, args, List.of());
    }
}
