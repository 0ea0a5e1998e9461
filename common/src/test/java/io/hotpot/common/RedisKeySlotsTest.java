package io.hotpot.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * Every Lua script and multi-key command of Hotpot takes its keys from {@link RedisKeys}; in a
 * Redis Cluster each must touch one hash slot, or Redis refuses it ({@code CROSSSLOT}). This test
 * builds every key {@link RedisKeys} can name (each constant and each method, with sample
 * arguments) and fails on any that hashes to another slot than the rest, so a new key without
 * the hash tag fails here and not in a customer's cluster.
 */
class RedisKeySlotsTest {
    /** What Redis Cluster does with a key: CRC16 (XMODEM) of the hash tag if there is one, modulo 16384. */
    static int slot(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                key = key.substring(open + 1, close);
            }
        }
        int crc = 0;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            crc ^= (b & 0xff) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return (crc & 0xffff) % 16384;
    }

    @Test
    void theSlotFunctionIsRedisClusters() {
        // The Redis Cluster specification's check value: CRC16 of "123456789" is 0x31C3.
        assertEquals(0x31C3 % 16384, slot("123456789"));
        // Only the first {…} with something inside counts.
        assertEquals(slot("user1000"), slot("{user1000}.following"));
        assertFalse(slot("foo{}{bar}") == slot("bar"), "an empty tag is no tag: the whole key is hashed");
    }

    @Test
    void everyKeyIsInTheSlotOfTheHashTag() throws Exception {
        int expected = slot(RedisKeys.HASH_TAG);
        Map<String, Integer> slots = new TreeMap<>();
        for (String key : everyKey()) {
            slots.put(key, slot(key));
        }
        List<String> elsewhere = slots.entrySet().stream().filter(e -> e.getValue() != expected)
                .map(e -> e.getKey() + " (slot " + e.getValue() + ")").toList();
        assertTrue(elsewhere.isEmpty(), "keys outside the slot of " + RedisKeys.HASH_TAG + " (" + expected
                + "), which a script or multi-key command beside the others cannot use in a Redis Cluster: " + elsewhere);
        assertTrue(slots.size() >= 20, "every key of RedisKeys was built: " + slots.keySet());
    }

    @Test
    void channelsAndTheOldPrefixAreNotKeys() {
        assertTrue(RedisKeys.TASK_EVENTS_CHANNEL.startsWith(RedisKeys.CHANNEL_PREFIX));
        assertTrue(RedisKeys.CHAT_PRESENCE_CHANNEL.startsWith(RedisKeys.CHANNEL_PREFIX));
        assertFalse(RedisKeys.task("x").startsWith(RedisKeys.OLD_PREFIX), "the new layout is told from the old by its prefix");
    }

    /** Each key constant and each key built by a method of {@link RedisKeys}, with two sets of sample arguments. */
    private static List<String> everyKey() throws Exception {
        List<String> keys = new ArrayList<>();
        for (var field : RedisKeys.class.getFields()) {
            boolean isKey = Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && !field.getName().endsWith("CHANNEL") && !field.getName().endsWith("PREFIX")
                    && !field.getName().equals("HASH_TAG");
            if (isKey) {
                keys.add((String) field.get(null));
            }
        }
        for (Method method : RedisKeys.class.getMethods()) {
            if (!Modifier.isStatic(method.getModifiers()) || method.getReturnType() != String.class) {
                continue;
            }
            for (String sample : List.of("a", "{other}:b")) {
                Object[] args = new Object[method.getParameterCount()];
                for (int i = 0; i < args.length; i++) {
                    Class<?> type = method.getParameterTypes()[i];
                    args[i] = type == String.class ? sample : type == long.class ? 1_764_000_000_000L : null;
                }
                keys.add((String) method.invoke(null, args));
            }
        }
        return keys;
    }
}
