package io.hotpot.common;

/**
 * One argument a handler accepts, advertised by workers so api-service can refuse arguments
 * that do not fit before anything is published.
 *
 * @param name     field name in {@code args}
 * @param type     required JSON type
 * @param required whether the field must be present (and not null)
 */
public record ArgSpec(String name, ArgType type, boolean required) {
}
