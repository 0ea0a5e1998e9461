package io.hotpot.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a schedule does with ticks that could not fire in time (no leader, the whole service
 * down): like a Kubernetes CronJob's starting deadline. A tick later than the deadline is missed.
 */
public enum MissedPolicy {
    /** Missed ticks create no task; the schedule goes on from the next tick. */
    @JsonProperty("skip")
    SKIP,
    /** All missed ticks together create one task, then the schedule goes on. */
    @JsonProperty("run-once")
    RUN_ONCE;

    /** The name used in JSON and configuration. */
    public String wireName() {
        return this == SKIP ? "skip" : "run-once";
    }

    /** The policy for a wire name, or {@code null} when there is none by that name. */
    public static MissedPolicy fromWireName(String name) {
        for (MissedPolicy policy : values()) {
            if (policy.wireName().equals(name)) {
                return policy;
            }
        }
        return null;
    }
}
