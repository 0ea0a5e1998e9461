package io.hotpot.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The API key entries: hashes only, several at once, clear errors that never quote a hash. */
class ApiKeysTest {
    private static final String OLD = "hp_old-key";
    private static final String NEW = "hp_new-key";

    @Test
    void aKeyIsFoundByItsHashAndSeveralAreValidAtOnce() {
        ApiKeys keys = new ApiKeys(ApiKeys.parse(List.of("ci-old:" + ApiKeys.hash(OLD) + ":submit+read",
                " ci-new:" + ApiKeys.hash(NEW).toUpperCase() + ":admin ", "")));
        assertEquals(new Caller("key:ci-old", Set.of(Role.SUBMIT, Role.READ)), keys.find(OLD).orElseThrow());
        assertEquals(new Caller("key:ci-new", Set.of(Role.ADMIN)), keys.find(NEW).orElseThrow());
        assertFalse(keys.find("hp_other").isPresent());
        assertFalse(keys.find(ApiKeys.hash(OLD)).isPresent(), "the hash itself is not a key");
    }

    @Test
    void theHashIsSha256InHex() {
        assertEquals("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", ApiKeys.hash("test"));
    }

    @Test
    void badEntriesFailWithAMessageThatNamesTheKeyButNotItsHash() {
        String hash = ApiKeys.hash(OLD);
        var noRoles = assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse(List.of("ci:" + hash)));
        assertFalse(noRoles.getMessage().contains(hash));
        var badHash = assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse(List.of("ci:abc:read")));
        assertTrue(badHash.getMessage().contains("'ci'"));
        var badRole = assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse(List.of("ci:" + hash + ":root")));
        assertTrue(badRole.getMessage().contains("submit, read, admin"));
        assertFalse(badRole.getMessage().contains(hash));
    }
}
