package io.hotpot.common;

/**
 * The names operators see: the correlation header and its log (MDC) key, and every Hotpot metric
 * with its tags. The Grafana dashboard in the Helm chart queries these names (in Prometheus form:
 * dots become underscores, counters end in {@code _total}, timers in {@code _seconds}).
 */
public final class Telemetry {
    /** HTTP header carrying the correlation id; api-service makes one when a request has none. */
    public static final String CORRELATION_HEADER = "X-Correlation-Id";
    /** MDC key of the correlation id, in api-service request logs and worker task logs. */
    public static final String CORRELATION_MDC_KEY = "correlationId";

    /** Tag: the task type. */
    public static final String TAG_TYPE = "type";
    /** Tag: the logical queue name (not the RabbitMQ queue name). */
    public static final String TAG_QUEUE = "queue";

    /** Counter (api-service): tasks accepted with 202, RabbitMQ having confirmed them. */
    public static final String TASKS_SUBMITTED = "hotpot.tasks.submitted";
    /** Counter (worker-service): task attempts started. */
    public static final String TASKS_STARTED = "hotpot.tasks.started";
    /** Counter (worker-service): tasks finished with {@code SUCCESS}. */
    public static final String TASKS_SUCCEEDED = "hotpot.tasks.succeeded";
    /** Counter (worker-service): tasks finished with {@code FAILURE}. */
    public static final String TASKS_FAILED = "hotpot.tasks.failed";
    /** Counter (worker-service): attempts that ended in {@code RETRY}. */
    public static final String TASKS_RETRIED = "hotpot.tasks.retried";
    /** Timer with histogram (worker-service): how long a handler ran. */
    public static final String TASK_RUN_TIME = "hotpot.task.run";
    /** Timer with histogram (worker-service): from acceptance ({@code createdAt}) to start ({@code startedAt}). */
    public static final String TASK_QUEUE_WAIT = "hotpot.task.queue.wait";
    /** Gauge (worker-service): tasks running or waiting for a CPU thread on this worker. */
    public static final String WORKER_IN_FLIGHT = "hotpot.worker.tasks.in.flight";
    /** Gauge (api-service): messages ready in a task queue, read from RabbitMQ periodically. */
    public static final String QUEUE_MESSAGES = "hotpot.queue.messages";
    /** Gauge (api-service): consumers attached to a task queue, read with the depth. */
    public static final String QUEUE_CONSUMERS = "hotpot.queue.consumers";
    /**
     * Gauge (api-service): tasks kept in {@code hotpot.unroutable}, published for a queue that did
     * not exist (docs/decisions/0002); anything above 0 needs an operator.
     */
    public static final String UNROUTABLE_MESSAGES = "hotpot.unroutable.messages";
    /** Gauge (api-service): requests waiting for a task to finish ({@code ?wait=}) right now. */
    public static final String TASKS_WAITING = "hotpot.tasks.waiting";

    /** Gauge: WebSocket connections open on this chat-service replica (tag {@code endpoint}). */
    public static final String WS_CONNECTIONS = "hotpot.ws.connections";
    /** Counter: chat messages received from members and appended to their room. */
    public static final String WS_MESSAGES_IN = "hotpot.ws.messages.in";
    /** Counter: frames sent to members (messages, history, presence, errors). */
    public static final String WS_MESSAGES_OUT = "hotpot.ws.messages.out";
    /** Counter: presence frames queued to members (tag {@code kind}: {@code live} one per join or leave, {@code summary} one per interval). */
    public static final String WS_PRESENCE_FRAMES = "hotpot.ws.presence.frames";
    /** Counter: members disconnected because their send queue passed its bound. */
    public static final String WS_SLOW_CONSUMERS = "hotpot.ws.slow.consumers.dropped";
    /** Counter: schedule ticks that created their task (tag {@code schedule}). */
    public static final String SCHEDULER_FIRES = "hotpot.scheduler.fires";
    /** Counter: times this replica became leader ({@code event=acquired}) or stopped being it ({@code event=lost}). */
    public static final String SCHEDULER_LEADERSHIP = "hotpot.scheduler.leadership.changes";
    /** Gauge: 1 while this scheduler replica leads, else 0. */
    public static final String SCHEDULER_LEADER = "hotpot.scheduler.leader";
    /** Tag: a WebSocket endpoint ({@code chat}, {@code tasks}). */
    public static final String TAG_ENDPOINT = "endpoint";
    /** Tag: a schedule's name. */
    public static final String TAG_SCHEDULE = "schedule";
    /** Tag: what happened. */
    public static final String TAG_EVENT = "event";

    private Telemetry() {
    }
}
