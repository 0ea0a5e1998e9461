package io.hotpot.worker.task;

/**
 * What a handler may know about the run it is in.
 *
 * @param taskId  the task's id
 * @param attempt which attempt this is, from 1 (a redelivery after a crash counts too)
 * @param worker  the id of the worker running it
 * @param retries retries made before this attempt (0 on the first try)
 */
public record TaskContext(String taskId, int attempt, String worker, int retries) {
}
