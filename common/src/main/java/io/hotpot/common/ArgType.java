package io.hotpot.common;

/** The JSON type a task argument must have. */
public enum ArgType {
    INTEGER,
    NUMBER,
    STRING,
    BOOLEAN,
    OBJECT,
    ARRAY
}
