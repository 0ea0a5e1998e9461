package io.hotpot.common;

/** What a handler spends its time on, which decides where the worker runs it. */
public enum Workload {
    /** Waits on the network or disk: runs on a virtual thread. */
    IO,
    /** Computes: runs on a bounded pool sized to the cores. */
    CPU
}
