package io.hotpot.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** "$result" references in a chain's arguments: where they are found, what they become, and their errors. */
class ResultReferencesTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private JsonNode json(String text) throws Exception {
        return mapper.readTree(text);
    }

    @Test
    void referencesAreFoundAtAnyDepthWithTheirPlace() throws Exception {
        assertEquals(Map.of("args.x", "$result", "args.rows[1].total", "$result/sum"),
                ResultReferences.find(json("{\"x\":\"$result\",\"y\":2,\"rows\":[\"a\",{\"total\":\"$result/sum\"}],"
                        + "\"note\":\"$results are not references\"}")));
    }

    @Test
    void theWholeResultOrThePartAPointerNames() throws Exception {
        JsonNode previous = json("{\"sum\":42,\"items\":[{\"id\":\"a\"},{\"id\":\"b\"}]}");
        assertEquals(json("{\"x\":{\"sum\":42,\"items\":[{\"id\":\"a\"},{\"id\":\"b\"}]},\"y\":42,\"z\":[\"b\"],\"w\":\"$resultx\"}"),
                ResultReferences.resolve(json("{\"x\":\"$result\",\"y\":\"$result/sum\",\"z\":[\"$result/items/1/id\"],"
                        + "\"w\":\"$resultx\"}"), previous));
        assertEquals(json("{\"x\":null}"), ResultReferences.resolve(json("{\"x\":\"$result\"}"), null));
    }

    @Test
    void aPointerToNothingNamesThePlaceAndTheResult() throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ResultReferences.resolve(json("{\"x\":\"$result/total\"}"), json("3")));
        assertTrue(missing.getMessage().startsWith("args.x is $result/total, but the result of the task before has no /total"),
                missing.getMessage());
    }
}
