package io.hotpot.worker.task;

/**
 * What a handler may know about the run it is in.
 *
 * @param taskId  the task's id
 * @param attempt which attempt this is, from 1
 * @param worker  the id of the worker running it
 */
public record TaskContext(String taskId, int attempt, String worker) {
}
