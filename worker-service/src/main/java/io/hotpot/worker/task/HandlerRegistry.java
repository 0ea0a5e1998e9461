package io.hotpot.worker.task;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import io.hotpot.common.ArgSpec;
import io.hotpot.common.ArgType;
import io.hotpot.common.ResultShape;
import io.hotpot.common.TaskTypeInfo;

/** Every {@link TaskHandler} bean, by type name, with the argument list each one advertises. */
@ApplicationScoped
public class HandlerRegistry {
    private final Map<String, TaskHandler<?>> handlers = new TreeMap<>();
    private final List<TaskTypeInfo> infos = new ArrayList<>();

    public HandlerRegistry(@Any Instance<TaskHandler<?>> beans) {
        for (TaskHandler<?> handler : beans) {
            TaskHandler<?> previous = handlers.putIfAbsent(handler.type(), handler);
            if (previous != null) {
                throw new IllegalStateException("Two handlers for the task type '" + handler.type() + "': "
                        + previous.getClass().getName() + " and " + handler.getClass().getName());
            }
        }
        handlers.values().forEach(h -> infos.add(new TaskTypeInfo(h.type(), h.workload(), argSpecs(h.argsType()),
                h.sensitiveArgs().stream().sorted().toList(), resultShape(h.resultType(), 0))));
    }

    /** The handler for a type name, if this worker has one. */
    public Optional<TaskHandler<?>> find(String type) {
        return Optional.ofNullable(handlers.get(type));
    }

    /** What this worker advertises. */
    public List<TaskTypeInfo> types() {
        return Collections.unmodifiableList(infos);
    }

    /** The arguments a record stands for: every component, required unless it is an {@code Optional}. */
    static List<ArgSpec> argSpecs(Class<? extends Record> argsType) {
        List<ArgSpec> specs = new ArrayList<>();
        for (RecordComponent component : argsType.getRecordComponents()) {
            Type type = component.getGenericType();
            boolean required = true;
            if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == Optional.class) {
                required = false;
                type = parameterized.getActualTypeArguments()[0];
            }
            specs.add(new ArgSpec(component.getName(), jsonType(type), required));
        }
        return specs;
    }

    /**
     * The shape of a result of this type: records with every component, lists and arrays with their
     * elements, maps as objects of any fields; {@code null} (not known) for {@code Object}, a
     * {@code JsonNode} or any other class.
     */
    static ResultShape resultShape(Type type, int depth) {
        if (depth > 8) {
            return null; // a record that contains itself: what is deeper is not checked
        }
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType()
                : type instanceof Class<?> c ? c : Object.class;
        if (raw == Optional.class) {
            return resultShape(((ParameterizedType) type).getActualTypeArguments()[0], depth);
        }
        if (raw.isRecord()) {
            Map<String, ResultShape> fields = new TreeMap<>();
            for (RecordComponent component : raw.getRecordComponents()) {
                ResultShape field = resultShape(component.getGenericType(), depth + 1);
                fields.put(component.getName(), field == null ? new ResultShape(null, null, null) : field);
            }
            return new ResultShape(ArgType.OBJECT, fields, null);
        }
        if (raw.isArray()) {
            return new ResultShape(ArgType.ARRAY, null, resultShape(raw.getComponentType(), depth + 1));
        }
        if (Collection.class.isAssignableFrom(raw)) {
            return new ResultShape(ArgType.ARRAY, null, type instanceof ParameterizedType p
                    ? resultShape(p.getActualTypeArguments()[0], depth + 1) : null);
        }
        if (Map.class.isAssignableFrom(raw)) {
            return new ResultShape(ArgType.OBJECT, null, null);
        }
        ArgType json = jsonType(raw);
        return json == ArgType.OBJECT ? null : new ResultShape(json, null, null);
    }

    private static ArgType jsonType(Type type) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == int.class || raw == long.class || raw == short.class || raw == byte.class
                || raw == Integer.class || raw == Long.class || raw == Short.class || raw == Byte.class
                || raw == BigInteger.class) {
            return ArgType.INTEGER;
        }
        if (raw == double.class || raw == float.class || raw == Double.class || raw == Float.class
                || raw == BigDecimal.class) {
            return ArgType.NUMBER;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return ArgType.BOOLEAN;
        }
        if (raw == String.class || raw.isEnum()) {
            return ArgType.STRING;
        }
        if (raw.isArray() || Collection.class.isAssignableFrom(raw)) {
            return ArgType.ARRAY;
        }
        return ArgType.OBJECT;
    }
}
