package io.hotpot.worker.task;

import java.util.function.Supplier;

import org.jboss.logging.MDC;

import io.hotpot.common.TaskMessage;
import io.hotpot.common.Telemetry;

/**
 * Puts a task's correlation id (from the HTTP request that submitted it) in the log MDC while
 * the task runs on its thread, so every log line written for the task, by the runner or by the
 * handler, carries it: as {@code correlationId} in the JSON logs of production, after the thread
 * name in the readable ones.
 */
public final class TaskLogContext {
    private TaskLogContext() {
    }

    /** {@code body}, run with the task's correlation id in the MDC and the thread's previous one restored after. */
    public static <T> Supplier<T> around(TaskMessage task, Supplier<T> body) {
        String correlationId = task.correlationId();
        if (correlationId == null || correlationId.isEmpty()) {
            return body;
        }
        return () -> {
            Object previous = MDC.put(Telemetry.CORRELATION_MDC_KEY, correlationId);
            try {
                return body.get();
            } finally {
                if (previous == null) {
                    MDC.remove(Telemetry.CORRELATION_MDC_KEY);
                } else {
                    MDC.put(Telemetry.CORRELATION_MDC_KEY, previous);
                }
            }
        };
    }
}
