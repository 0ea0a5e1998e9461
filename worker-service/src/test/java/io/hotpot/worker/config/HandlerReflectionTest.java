package io.hotpot.worker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.hotpot.common.TaskTypeInfo;
import io.hotpot.testing.JsonTypes;
import io.hotpot.worker.task.HandlerRegistry;
import io.hotpot.worker.task.TaskHandler;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The handler beans the worker really runs, asked for their arguments record: each record, and
 * what it holds, is registered for reflection (the worker reads the record from JSON and lists
 * its components). Catches a handler whose record the code scan cannot see.
 */
@QuarkusTest
class HandlerReflectionTest {
    @Inject
    HandlerRegistry handlers;

    @Test
    void everyHandlersArgumentsAreRegistered() {
        Set<String> registered = Stream.of(NativeReflection.class.getAnnotation(RegisterForReflection.class).targets())
                .map(Class::getName).collect(Collectors.toSet());
        TreeMap<String, String> missing = new TreeMap<>();
        for (TaskTypeInfo info : handlers.types()) {
            TaskHandler<?> handler = handlers.find(info.type()).orElseThrow();
            JsonTypes.reachable(handler.argsType(), "io.hotpot.").keySet().stream()
                    .filter(type -> !registered.contains(type))
                    .forEach(type -> missing.put(type, "arguments of the '" + info.type() + "' handler"));
        }

        assertFalse(handlers.types().isEmpty(), "the worker has handlers");
        assertEquals(new TreeMap<>(), missing, "types to add to NativeReflection");
    }
}
