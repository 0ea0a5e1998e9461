package io.hotpot.worker.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.Telemetry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The worker's log lines for a task carry the task's correlation id: an in-memory handler on the
 * root logger captures what the worker logs while the task runs through the real TaskRunner
 * and Redis.
 */
@QuarkusTest
class TaskLogContextTest {
    @Inject
    TaskRunner runner;
    @Inject
    ObjectMapper mapper;
    @Inject
    RedisDataSource redis;

    /** A captured line: its message and the correlation id in the MDC when it was logged. */
    record Line(String message, String correlationId) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String mdc = record instanceof ExtLogRecord ext ? ext.getMdc(Telemetry.CORRELATION_MDC_KEY) : null;
            lines.add(new Line(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage(), mdc));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private String id;

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
        if (id != null) {
            redis.key().del(RedisKeys.task(id));
        }
    }

    @Test
    void everyLogLineOfATaskCarriesItsCorrelationId() throws Exception {
        id = UUID.randomUUID().toString();
        String correlationId = "checkout-" + UUID.randomUUID();
        TaskMessage overflow = new TaskMessage(id, "add", mapper.readTree("{\"x\":9223372036854775807,\"y\":1}"),
                "log-test", 0, Instant.now(), correlationId);
        runner.run(overflow).get(10, TimeUnit.SECONDS);   // logs HOTPOT-WORKER-012: the task failed
        runner.run(overflow).get(10, TimeUnit.SECONDS);   // logs HOTPOT-WORKER-011: already final, not run again

        List<Line> ofTheTask = lines.stream().filter(line -> line.message().contains(id)).toList();
        assertEquals(2, ofTheTask.size(), lines.toString());
        assertTrue(ofTheTask.stream().anyMatch(line -> line.message().startsWith("HOTPOT-WORKER-012")), ofTheTask.toString());
        assertTrue(ofTheTask.stream().anyMatch(line -> line.message().startsWith("HOTPOT-WORKER-011")), ofTheTask.toString());
        ofTheTask.forEach(line -> assertEquals(correlationId, line.correlationId(), line.message()));
    }

    @Test
    void theIdIsGoneFromTheThreadAfterTheTask() {
        TaskMessage task = new TaskMessage("t", "add", null, "log-test", 0, Instant.now(), "corr-after");
        String[] during = new String[1];
        TaskLogContext.around(task, () -> during[0] = (String) org.jboss.logging.MDC.get(Telemetry.CORRELATION_MDC_KEY)).get();
        assertEquals("corr-after", during[0]);
        assertNull(org.jboss.logging.MDC.get(Telemetry.CORRELATION_MDC_KEY));
    }
}
