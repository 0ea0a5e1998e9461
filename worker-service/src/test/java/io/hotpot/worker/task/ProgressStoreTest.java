package io.hotpot.worker.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskFields;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;

/** A handler's progress reports, against the real Redis: the record field and the published event. */
@QuarkusTest
class ProgressStoreTest {
    @Inject
    RedisDataSource redis;
    @Inject
    ObjectMapper mapper;

    private final String id = "progress-" + UUID.randomUUID();

    @AfterEach
    void deleteRecord() {
        redis.key().del(RedisKeys.task(id));
    }

    @Test
    void progressOfARunningTaskIsRecordedAndPublished() throws Exception {
        redis.hash(String.class).hset(RedisKeys.task(id), Map.of(TaskFields.ID, id, TaskFields.TYPE, "import",
                TaskFields.STATUS, "STARTED", TaskFields.ATTEMPTS, "1", TaskFields.WORKER, "w-1"));
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        var subscriber = redis.pubsub(String.class).subscribe(RedisKeys.TASK_EVENTS_CHANNEL, events::add);
        try {
            assertTrue(new TaskContext(id, 1, "w-1", 0).progress(40, "imported 400 of 1000 rows"));
            JsonNode stored = mapper.readTree(redis.hash(String.class).hget(RedisKeys.task(id), TaskFields.PROGRESS));
            assertEquals(40, stored.get("percent").asInt());
            JsonNode event = null;
            for (String json = events.poll(10, TimeUnit.SECONDS); json != null; json = events.poll(10, TimeUnit.SECONDS)) {
                JsonNode candidate = mapper.readTree(json);
                if (id.equals(candidate.path("id").asText())) {
                    event = candidate;
                    break;
                }
            }
            assertNotNull(event);
            assertEquals("STARTED", event.get("status").asText());
            assertEquals("imported 400 of 1000 rows", event.get("progress").get("message").asText());
        } finally {
            subscriber.unsubscribe();
        }
    }

    @Test
    void progressOfAFinishedTaskChangesNothing() {
        redis.hash(String.class).hset(RedisKeys.task(id), Map.of(TaskFields.ID, id, TaskFields.STATUS, "SUCCESS"));
        assertFalse(new TaskContext(id, 1, "w-1", 0).progress(50, "late"));
        assertEquals(null, redis.hash(String.class).hget(RedisKeys.task(id), TaskFields.PROGRESS));
    }

    @Test
    void percentOutsideZeroToHundredIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TaskContext(id, 1, "w-1", 0).progress(101, "too far"));
        assertThrows(IllegalArgumentException.class, () -> new TaskContext(id, 1, "w-1", 0).progress(-1, "backwards"));
    }
}
