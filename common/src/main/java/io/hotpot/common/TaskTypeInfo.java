package io.hotpot.common;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A task type as a worker advertises it.
 *
 * @param type      handler type name
 * @param workload  {@code IO} or {@code CPU}: where the worker runs it
 * @param args      the arguments it accepts; any other field is refused
 * @param sensitive the arguments shown masked in task records (an e-mail body, a phone number);
 *                  the handler still receives them as sent
 * @param result    what its result looks like, for chains' {@code "$result/…"} references;
 *                  {@code null}: not known (not said by the handler, or an older worker)
 */
public record TaskTypeInfo(String type, Workload workload, List<ArgSpec> args, List<String> sensitive,
        @JsonInclude(JsonInclude.Include.NON_NULL) ResultShape result) {
    public TaskTypeInfo {
        sensitive = sensitive == null ? List.of() : List.copyOf(sensitive);
    }

    /** A type whose result is not known. */
    public TaskTypeInfo(String type, Workload workload, List<ArgSpec> args, List<String> sensitive) {
        this(type, workload, args, sensitive, null);
    }

    /** A type with no sensitive arguments. */
    public TaskTypeInfo(String type, Workload workload, List<ArgSpec> args) {
        this(type, workload, args, List.of());
    }
}
