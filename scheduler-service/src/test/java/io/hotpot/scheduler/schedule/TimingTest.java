package io.hotpot.scheduler.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class TimingTest {
    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void cronHasSecondsAndReadsItsZone() {
        Timing daily = Timing.of("0 0 7 * * ?", "Europe/Paris", null, null);
        // 07:00 in Paris in winter is 06:00 UTC.
        assertEquals(ms("2026-11-27T06:00:00Z"), daily.firstAfter(ms("2026-11-26T06:00:00Z")));
        assertEquals(ms("2026-11-26T06:00:00Z"), daily.firstAtOrAfter(ms("2026-11-26T06:00:00Z")));
        assertEquals(ms("2026-11-26T06:00:00Z"), daily.firstAfter(ms("2026-11-26T05:59:59.999Z")));

        Timing everyFiveSeconds = Timing.of("*/5 * * * * ?", null, null, null);
        assertEquals(ms("2026-11-26T10:00:05Z"), everyFiveSeconds.firstAfter(ms("2026-11-26T10:00:00.300Z")));
        assertEquals(ms("2026-11-26T10:00:00Z"), everyFiveSeconds.firstAtOrAfter(ms("2026-11-26T10:00:00Z")));
    }

    @Test
    void intervalTicksAreWholeMultiplesSinceTheEpoch() {
        Timing second = Timing.of(null, null, "PT1S", null);
        assertEquals(ms("2026-11-26T10:00:01Z"), second.firstAfter(ms("2026-11-26T10:00:00Z")));
        assertEquals(ms("2026-11-26T10:00:01Z"), second.firstAfter(ms("2026-11-26T10:00:00.999Z")));
        assertEquals(ms("2026-11-26T10:00:00Z"), second.firstAtOrAfter(ms("2026-11-26T10:00:00Z")));
    }

    @Test
    void aOneOffHasOneTick() {
        Timing once = Timing.of(null, null, null, Instant.parse("2026-11-26T10:00:00Z"));
        assertTrue(once.oneOff());
        assertEquals(ms("2026-11-26T10:00:00Z"), once.firstAfter(ms("2026-11-26T09:00:00Z")));
        assertEquals(Timing.NONE, once.firstAfter(ms("2026-11-26T10:00:00Z")));
    }

    @Test
    void badTimingIsRefusedWithAReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Timing.of("61 * * * * ?", null, null, null))
                .getMessage().contains("not a valid Quartz cron"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Timing.of("0 0 7 * * ?", "Mars/Olympus", null, null))
                .getMessage().contains("not a known time zone"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Timing.of(null, null, "PT0S", null))
                .getMessage().contains("longer than zero"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Timing.of(null, null, "-PT1S", null))
                .getMessage().contains("longer than zero"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Timing.of(null, null, "soon", null))
                .getMessage().contains("ISO-8601"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Timing.of("0 0 7 * * ?", null, "PT1S", null))
                .getMessage().contains("exactly one"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Timing.of(null, null, null, null))
                .getMessage().contains("exactly one"));
    }
}
