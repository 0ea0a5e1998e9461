package io.hotpot.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class ResultShapeTest {
    private static final ResultShape INTEGER = new ResultShape(ArgType.INTEGER, null, null);
    private static final ResultShape STRING = new ResultShape(ArgType.STRING, null, null);
    /** As the webhook task's result: {calls, outcomes: [{url, status}], meta: a map, raw: not known}. */
    private static final ResultShape WEBHOOK = new ResultShape(ArgType.OBJECT, Map.of(
            "calls", INTEGER,
            "outcomes", new ResultShape(ArgType.ARRAY, null, new ResultShape(ArgType.OBJECT,
                    Map.of("url", STRING, "status", INTEGER), null)),
            "meta", new ResultShape(ArgType.OBJECT, null, null),
            "raw", new ResultShape(null, null, null)), null);

    @Test
    void referencesToPartsTheResultHasPass() {
        assertNull(WEBHOOK.missing("$result"));
        assertNull(WEBHOOK.missing("$result/calls"));
        assertNull(WEBHOOK.missing("$result/outcomes/3/url"));
        assertNull(WEBHOOK.missing("$result/meta/anything/deeper"), "a map may hold any field");
        assertNull(WEBHOOK.missing("$result/raw/x/0"), "a part whose shape is not known is not checked");
        assertNull(INTEGER.missing("$result"));
    }

    @Test
    void referencesToPartsItCannotHaveSayWhy() {
        assertEquals("the result has no field 'total' (it has calls, meta, outcomes, raw)", WEBHOOK.missing("$result/total"));
        assertEquals("its outcomes/0 has no field 'ok' (it has status, url)", WEBHOOK.missing("$result/outcomes/0/ok"));
        assertEquals("its outcomes is an array: 'first' is not an index", WEBHOOK.missing("$result/outcomes/first"));
        assertEquals("its calls is integer, which has no 'n'", WEBHOOK.missing("$result/calls/n"));
        assertEquals("the result is integer, which has no 'total'", INTEGER.missing("$result/total"));
    }

    @Test
    void aTypeInfoCarriesItsShapeOnTheWireAndOlderOnesHaveNone() throws Exception {
        ObjectMapper mapper = Json.newMapper();
        TaskTypeInfo info = new TaskTypeInfo("webhook", Workload.IO, java.util.List.of(), java.util.List.of(), WEBHOOK);
        assertEquals(info, mapper.readValue(mapper.writeValueAsString(info), TaskTypeInfo.class));
        assertNull(mapper.readValue("{\"type\":\"add\",\"workload\":\"CPU\",\"args\":[],\"sensitive\":[]}", TaskTypeInfo.class)
                .result(), "what an older worker advertised: the result is not known");
    }
}
