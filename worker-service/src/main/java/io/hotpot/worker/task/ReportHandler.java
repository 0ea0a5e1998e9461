package io.hotpot.worker.task;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.hotpot.common.ChatMessage;
import io.hotpot.common.ChatProtocol;
import io.hotpot.common.TaskStatus;
import io.hotpot.common.Workload;
import io.hotpot.worker.config.WorkerConfig;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.redis.datasource.RedisDataSource;
import io.smallrye.mutiny.TimeoutException;

/**
 * {@code report}: the Django post's morning report. Summarises the last
 * {@code hotpot.report.window} (24 h) of tasks — by type and status, failures, the slowest types,
 * queue depths — e-mails it to {@code hotpot.report.to} ({@code HOTPOT_REPORT_TO}) and posts
 * it to the chat room {@code hotpot.report.room} ({@code reports}). The result is the summary
 * itself, with where it went. A daily schedule for it ships disabled in scheduler-service.
 */
@ApplicationScoped
public class ReportHandler implements TaskHandler<ReportHandler.Args> {
    /** No arguments: the span and the recipients are configuration. */
    public record Args() {
    }

    /** Who the report speaks as in the chat room. */
    static final String CHAT_USER = "hotpot-report";
    /** The room's stream keeps about as many entries as chat-service's default history cap. */
    private static final int ROOM_STREAM_CAP = 1000;

    private final TaskSummary summary;
    private final Mailer mailer;
    private final RedisDataSource redis;
    private final WorkerConfig.Report config;

    public ReportHandler(TaskSummary summary, Mailer mailer, RedisDataSource redis, WorkerConfig config) {
        this.summary = summary;
        this.mailer = mailer;
        this.redis = redis;
        this.config = config.report();
    }

    @Override
    public String type() {
        return "report";
    }

    @Override
    public Class<Args> argsType() {
        return Args.class;
    }

    @Override
    public Workload workload() {
        return Workload.IO;
    }

    @Override
    public Object run(Args args, TaskContext context) throws PermanentTaskException {
        Optional<String> room = config.room().map(String::trim).filter(r -> !r.isEmpty());
        if (room.isPresent() && !ChatProtocol.ROOM_NAME.matcher(room.get()).matches()) {
            throw new PermanentTaskException("hotpot.report.room '" + room.get() + "' is not a chat room name");
        }
        List<String> to = config.to().orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (to.isEmpty()) {
            throw new IllegalStateException("nobody to send the report to: set hotpot.report.to (HOTPOT_REPORT_TO)");
        }
        TaskSummary.Summary s = summary.summarise(config.window(), config.failuresListed());
        Mail mail = Mail.withText(to.get(0), "Hotpot report: " + s.tasks() + " tasks, " + s.failures() + " failed", text(s));
        to.stream().skip(1).forEach(mail::addTo);
        try {
            mailer.send(mail);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the SMTP server did not take the report within quarkus.mailer.timeout", e);
        }
        Map<String, Object> result = new LinkedHashMap<>(Map.of("summary", s, "mailedTo", to));
        if (room.isPresent()) {
            result.put("postedTo", room.get());
            result.put("messageId", post(room.get(), text(s)));
        }
        return result;
    }

    /**
     * Appends the report to the room's stream, as chat-service appends a member's message: its
     * replicas relay it to the members live, and it stays in the room's history.
     */
    private String post(String room, String text) {
        return redis.execute("EVAL", ChatMessage.append(room, ROOM_STREAM_CAP, config.roomTtl().toMillis(), CHAT_USER, text,
                System.currentTimeMillis())).toString();
    }

    static String text(TaskSummary.Summary s) {
        StringBuilder out = new StringBuilder();
        out.append("Hotpot report from ").append(s.from()).append(" to ").append(s.to()).append("\n\n");
        out.append("Tasks: ").append(s.tasks()).append(", failed: ").append(s.failures()).append("\n\n");
        out.append("By type and status:\n");
        s.byType().forEach((type, statuses) -> {
            out.append("  ").append(type).append(":");
            for (Map.Entry<TaskStatus, Integer> e : statuses.entrySet()) {
                out.append(' ').append(e.getKey()).append('=').append(e.getValue());
            }
            out.append('\n');
        });
        out.append("\nSlowest types (average run time):\n");
        s.slowest().forEach(t -> out.append("  ").append(t.type()).append(": ").append(t.averageMillis())
                .append(" ms average, ").append(t.maxMillis()).append(" ms max, ").append(t.runs()).append(" runs\n"));
        out.append("\nQueue depths (messages waiting):\n");
        s.queueDepths().forEach((queue, depth) -> out.append("  ").append(queue).append(": ")
                .append(depth < 0 ? "no such queue" : depth.toString()).append('\n'));
        out.append("\nLatest failures:\n");
        s.recentFailures().forEach(f -> out.append("  ").append(f.at()).append(' ').append(f.type()).append(' ')
                .append(f.id()).append(' ').append(f.error()).append('\n'));
        return out.toString();
    }
}
