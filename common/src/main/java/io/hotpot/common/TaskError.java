package io.hotpot.common;

/**
 * Why an attempt failed: the exception's type and message, as shown in the task record.
 *
 * @param type    simple or qualified name of the exception
 * @param message the exception's message, possibly {@code null}
 */
public record TaskError(String type, String message) {
}
