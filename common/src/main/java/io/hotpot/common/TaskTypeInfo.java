package io.hotpot.common;

import java.util.List;

/**
 * A task type as a worker advertises it.
 *
 * @param type     handler type name
 * @param workload {@code IO} or {@code CPU}: where the worker runs it
 * @param args     the arguments it accepts; any other field is refused
 */
public record TaskTypeInfo(String type, Workload workload, List<ArgSpec> args) {
}
