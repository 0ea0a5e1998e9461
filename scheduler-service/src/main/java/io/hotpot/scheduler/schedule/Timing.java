package io.hotpot.scheduler.schedule;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import io.hotpot.common.ScheduleDefinition;

/**
 * When a schedule's ticks are: cron (Quartz syntax, with seconds, read in a time zone), a fixed
 * interval (whole multiples of it since the Unix epoch, so every replica computes the same
 * ticks), or one instant. Ticks are epoch milliseconds.
 */
public final class Timing {
    /**
     * cron-utils with its Quartz definition: what quarkus-scheduler parses {@code @Scheduled} cron
     * with by default ({@code quarkus.scheduler.cron-type}), and what api-service validates with.
     */
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
    /** Returned when there is no further tick. */
    public static final long NONE = -1;

    private final String spec;
    private final ExecutionTime cron;
    private final ZoneId zone;
    private final long everyMillis;
    private final long atMillis;

    private Timing(String spec, ExecutionTime cron, ZoneId zone, long everyMillis, long atMillis) {
        this.spec = spec;
        this.cron = cron;
        this.zone = zone;
        this.everyMillis = everyMillis;
        this.atMillis = atMillis;
    }

    /** A definition's timing; {@link IllegalArgumentException} with a message a person can act on when it is invalid. */
    public static Timing of(ScheduleDefinition definition) {
        return of(definition.cron(), definition.timezone(), definition.every(), definition.at());
    }

    /** As {@link #of(ScheduleDefinition)}, from the fields. */
    public static Timing of(String cron, String timezone, String every, Instant at) {
        int kinds = (cron != null ? 1 : 0) + (every != null ? 1 : 0) + (at != null ? 1 : 0);
        if (kinds != 1) {
            throw new IllegalArgumentException("exactly one of cron, every and at must be given");
        }
        if (timezone != null && cron == null) {
            throw new IllegalArgumentException("timezone applies only to cron");
        }
        if (cron != null) {
            ZoneId zone;
            try {
                zone = ZoneId.of(timezone == null ? "UTC" : timezone);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("timezone '" + timezone + "' is not a known time zone (e.g. Europe/Paris, UTC)");
            }
            ExecutionTime execution;
            try {
                execution = ExecutionTime.forCron(QUARTZ.parse(cron));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cron '" + cron + "' is not a valid Quartz cron expression with seconds"
                        + " (e.g. '0 0 7 * * ?'): " + e.getMessage());
            }
            return new Timing("cron:" + cron + "|" + zone.getId(), execution, zone, 0, 0);
        }
        if (every != null) {
            Duration interval;
            try {
                interval = Duration.parse(every);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("every '" + every + "' is not an ISO-8601 duration (e.g. PT1S, PT5M, P1D)");
            }
            if (interval.isNegative() || interval.isZero() || interval.toMillis() < 1) {
                throw new IllegalArgumentException("every must be longer than zero, got " + every);
            }
            return new Timing("every:" + interval.toMillis(), null, null, interval.toMillis(), 0);
        }
        return new Timing("at:" + at.toEpochMilli(), null, null, 0, at.toEpochMilli());
    }

    /** What the ticks are computed from; a change means the next tick must be computed afresh. */
    public String spec() {
        return spec;
    }

    /** Whether this is a one-off. */
    public boolean oneOff() {
        return cron == null && everyMillis == 0;
    }

    /** The first tick strictly after {@code millis}, or {@link #NONE}. */
    public long firstAfter(long millis) {
        if (cron != null) {
            // Quartz ticks are whole seconds: from the last whole second at or before millis.
            ZonedDateTime from = Instant.ofEpochMilli(Math.floorDiv(millis, 1000) * 1000).atZone(zone);
            return cron.nextExecution(from).map(t -> t.toInstant().toEpochMilli()).orElse(NONE);
        }
        if (everyMillis > 0) {
            return (Math.floorDiv(millis, everyMillis) + 1) * everyMillis;
        }
        return atMillis > millis ? atMillis : NONE;
    }

    /** The first tick at or after {@code millis}, or {@link #NONE}. */
    public long firstAtOrAfter(long millis) {
        return firstAfter(millis - 1);
    }

    /** A one-off's time; only for one-offs. */
    public long at() {
        return atMillis;
    }
}
