package io.hotpot.worker.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.hotpot.common.ArgSpec;
import io.hotpot.common.ArgType;
import io.hotpot.common.ResultShape;

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

    record Line(String url, Optional<Integer> status) {
    }

    record Report(long total, List<Line> lines, Map<String, Object> extra, com.fasterxml.jackson.databind.JsonNode raw) {
    }

    @Test
    void aResultTypeBecomesTheShapeChainsAreCheckedAgainst() {
        ResultShape integer = new ResultShape(ArgType.INTEGER, null, null);
        assertEquals(integer, HandlerRegistry.resultShape(long.class, 0));
        assertEquals(null, HandlerRegistry.resultShape(Object.class, 0), "not said: not known");
        assertEquals(new ResultShape(ArgType.OBJECT, Map.of(
                "total", integer,
                "lines", new ResultShape(ArgType.ARRAY, null, new ResultShape(ArgType.OBJECT, Map.of(
                        "url", new ResultShape(ArgType.STRING, null, null), "status", integer), null)),
                "extra", new ResultShape(ArgType.OBJECT, null, null),
                "raw", new ResultShape(null, null, null)), null),
                HandlerRegistry.resultShape(Report.class, 0));
    }

    @Test
    void theBuiltInTasksSayWhatTheyReturn() {
        assertEquals("the result has no field 'total' (it has count, missing, sum)",
                HandlerRegistry.resultShape(new SumHandler().resultType(), 0).missing("$result/total"));
        assertEquals(null, HandlerRegistry.resultShape(new SumHandler().resultType(), 0).missing("$result/sum"));
    }
}
