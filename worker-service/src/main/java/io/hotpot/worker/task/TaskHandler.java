package io.hotpot.worker.task;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.hotpot.common.Workload;

/**
 * One task type. A handler is a CDI bean; the worker finds it by {@link #type()}, so adding a
 * task type is writing one class that implements this.
 *
 * <p>Arguments arrive as a record: each component is a required argument, except those of
 * type {@code Optional<…>}. The worker advertises them so api-service refuses arguments that
 * do not fit before anything is queued.
 *
 * @param <A> the arguments record
 */
public interface TaskHandler<A extends Record> {

    /** The type name clients submit, e.g. {@code add}. */
    String type();

    /** The record the JSON {@code args} are read into. */
    Class<A> argsType();

    /** Where it runs: {@code IO} on a virtual thread, {@code CPU} on the bounded pool. */
    Workload workload();

    /**
     * Arguments shown masked ({@code ***}) in the task's record, and so in the API, the dashboard
     * and the report: an e-mail body, a phone number. The handler still receives them as sent.
     */
    default Set<String> sensitiveArgs() {
        return Set.of();
    }

    /**
     * Retries a failed attempt gets unless the submission says otherwise ({@code maxRetries}).
     * None by default: a handler opts in when its errors are worth another try.
     */
    default int maxRetries() {
        return 0;
    }

    /**
     * How long one attempt may run before it is interrupted, unless the submission says
     * otherwise ({@code timeout}); empty: the worker's {@code hotpot.tasks.time-limit}.
     */
    default Optional<Duration> timeout() {
        return Optional.empty();
    }

    /**
     * What {@link #run} returns, when it is always the same: a record, a number, a string, a list of
     * records. Workers advertise its shape, so api-service refuses a chain whose {@code "$result/…"}
     * reference names a part this result cannot have. {@code Object.class} (the default): not said;
     * references are then checked when the next task runs.
     */
    default Class<?> resultType() {
        return Object.class;
    }

    /**
     * Runs the task. The return value is the result (anything Jackson can write); a thrown
     * exception makes the attempt fail with its type and message, and is retried while the
     * task has retries left, unless it is a {@link PermanentTaskException}. A revoke or a time
     * limit interrupts the thread: blocking calls then throw {@link InterruptedException}.
     */
    Object run(A args, TaskContext context) throws Exception;
}
