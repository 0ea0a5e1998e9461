package io.hotpot.scheduler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hotpot.testing.JsonTypes;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every type scheduler-service hands to Jackson (schedules read from Redis, the messages, records
 * and events it writes when a schedule fires) is registered for reflection, so a native image can
 * read and write it. Reads the compiled classes (io.hotpot.testing.JsonTypes); no Quarkus boot.
 */
class NativeReflectionTest {

    @Test
    void everyTypeJacksonTouchesIsRegistered() {
        JsonTypes json = JsonTypes.scan(NativeReflection.class, "io.hotpot.");
        List<Class<?>> registered = List.of(NativeReflection.class.getAnnotation(RegisterForReflection.class).targets());

        assertEquals(List.of(), List.copyOf(json.unresolved()), "JSON calls the scan cannot follow");
        assertEquals(Map.of(), json.missingFrom(registered), "types to add to NativeReflection");
        assertTrue(json.types().containsKey("io.hotpot.common.ScheduleDefinition"), "the scan found the schedule");
    }
}
