package io.hotpot.worker.task;

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
     * Runs the task. The return value is the result (anything Jackson can write); a thrown
     * exception makes the attempt fail with its type and message.
     */
    Object run(A args, TaskContext context) throws Exception;
}
