package io.hotpot.worker.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.hotpot.common.ArgSpec;
import io.hotpot.common.ArgType;

class HandlerRegistryTest {
    record Everything(int count, double ratio, String name, boolean flag, List<String> tags, Map<String, Object> meta,
            Optional<String> note, Optional<Long> limit) {
    }

    @Test
    void recordComponentsBecomeAdvertisedArguments() {
        assertEquals(List.of(
                new ArgSpec("count", ArgType.INTEGER, true),
                new ArgSpec("ratio", ArgType.NUMBER, true),
                new ArgSpec("name", ArgType.STRING, true),
                new ArgSpec("flag", ArgType.BOOLEAN, true),
                new ArgSpec("tags", ArgType.ARRAY, true),
                new ArgSpec("meta", ArgType.OBJECT, true),
                new ArgSpec("note", ArgType.STRING, false),
                new ArgSpec("limit", ArgType.INTEGER, false)),
                HandlerRegistry.argSpecs(Everything.class));
    }
}
