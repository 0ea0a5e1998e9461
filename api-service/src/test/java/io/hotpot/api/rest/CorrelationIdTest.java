package io.hotpot.api.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Correlation ids: a sane one given by the caller is kept; otherwise a fresh random (version 4) UUID, never repeated. */
class CorrelationIdTest {
    @Test
    void aSaneGivenIdIsKept() {
        assertEquals("order-42:retry/1", CorrelationFilter.correlationId("order-42:retry/1"));
    }

    @Test
    void otherwiseEachRequestGetsAFreshVersion4Uuid() {
        Set<String> seen = new HashSet<>();
        for (String given : new String[] { null, "", "has space", "x".repeat(129), "quote\"" }) {
            for (int i = 0; i < 2_000; i++) {
                String id = CorrelationFilter.correlationId(given);
                UUID uuid = UUID.fromString(id);
                assertEquals(4, uuid.version(), id);
                assertEquals(2, uuid.variant(), id);
                assertEquals(uuid.toString(), id);
                seen.add(id);
            }
        }
        assertEquals(10_000, seen.size());
        assertNotEquals(CorrelationFilter.correlationId(null), CorrelationFilter.correlationId(null));
    }
}
