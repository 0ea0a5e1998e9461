package io.hotpot.common;

import java.util.regex.Pattern;

/**
 * The fields of a group's hash ({@link RedisKeys#group}) and the values of its state. api-service
 * writes the group; a worker reads its state before it runs a member, and may mark it abandoned.
 */
public final class GroupFields {
    private GroupFields() {
    }

    public static final String ID = "id";
    /** What a group id looks like (api-service makes them: a UUID); anything else is refused where one is asked for. */
    public static final Pattern ID_PATTERN = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** {@link #COMMITTED} or {@link #ABANDONED}; no group hash: its submission is still under way. */
    public static final String STATE = "state";
    /** How many tasks the group has. */
    public static final String TOTAL = "total";
    public static final String CREATED_AT = "createdAt";

    /**
     * Prefix of the counters of members by final status: {@code finished:SUCCESS},
     * {@code finished:FAILURE}, {@code finished:REVOKED}, each raised once per member by the script
     * that finalises it ({@link WorkflowScripts}).
     */
    public static final String FINISHED_PREFIX = "finished:";

    /** The chord's callback ({@code then}): its task id. */
    public static final String CALLBACK_ID = "callbackId";
    /** The callback's message, its {@code results} argument still {@link #RESULTS_PLACEHOLDER}. */
    public static final String CALLBACK = "callback";
    /** {@link #CHORD_ERROR_FAIL} or {@link #CHORD_ERROR_CONTINUE}. */
    public static final String CHORD_ERROR = "chordError";
    /** Set once, when the last member finished and the callback was scheduled or refused. */
    public static final String FIRED = "fired";

    /** A member that did not succeed keeps the callback from running: it ends {@code REVOKED} ({@code ChordError}). */
    public static final String CHORD_ERROR_FAIL = "fail";
    /** The callback runs whatever happened, {@code null} in {@code results} for a member that did not succeed. */
    public static final String CHORD_ERROR_CONTINUE = "continue";
    /**
     * Stands for the results in the callback's stored message: its {@code results} argument is this
     * string, the callback's id in it, until the last member finishes and it is replaced by their list.
     */
    public static String resultsPlaceholder(String callbackId) {
        return PLACEHOLDER_START + callbackId + PLACEHOLDER_END;
    }

    static final String PLACEHOLDER_START = "@@hotpot-results-";
    static final String PLACEHOLDER_END = "@@";

    /** Every member was confirmed by RabbitMQ and recorded: members may run. */
    public static final String COMMITTED = "committed";
    /**
     * The submission failed, or did not commit in time: no member runs. A worker sets it when a
     * member waited longer than {@code hotpot.worker.group-gate} for its group.
     */
    public static final String ABANDONED = "abandoned";
}
