package io.hotpot.common;

/**
 * The fields of a group's hash ({@link RedisKeys#group}) and the values of its state. api-service
 * writes the group; a worker reads its state before it runs a member, and may mark it abandoned.
 */
public final class GroupFields {
    private GroupFields() {
    }

    public static final String ID = "id";
    /** {@link #COMMITTED} or {@link #ABANDONED}; no group hash: its submission is still under way. */
    public static final String STATE = "state";
    /** How many tasks the group has. */
    public static final String TOTAL = "total";
    public static final String CREATED_AT = "createdAt";

    /** Every member was confirmed by RabbitMQ and recorded: members may run. */
    public static final String COMMITTED = "committed";
    /**
     * The submission failed, or did not commit in time: no member runs. A worker sets it when a
     * member waited longer than {@code hotpot.worker.group-gate} for its group.
     */
    public static final String ABANDONED = "abandoned";
}
