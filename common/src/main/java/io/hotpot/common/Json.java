package io.hotpot.common;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Hotpot's JSON conventions: times as ISO-8601 text, unknown fields ignored so contracts can
 * grow. Quarkus services get the same from their managed mapper; this is for code outside CDI.
 */
public final class Json {
    private Json() {
    }

    /** Applies the conventions to a mapper and returns it. */
    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** A new mapper with the conventions applied. */
    public static ObjectMapper newMapper() {
        return configure(new ObjectMapper());
    }
}
