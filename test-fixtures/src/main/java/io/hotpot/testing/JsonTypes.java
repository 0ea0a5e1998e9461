package io.hotpot.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * The application types a service hands to Jackson, found by reading its compiled classes, so
 * a test can check each one is registered for reflection (a native image keeps only what is
 * registered; a missing type fails at run time, in production, not at build time).
 *
 * <p>Where JSON is made or read: values given to {@code ObjectMapper}/{@code ObjectWriter}
 * write and convert methods, classes given to their read methods, response entities
 * ({@code Response}, {@code RestResponse}), WebSocket text frames, payloads sent through a
 * reactive messaging {@code Emitter} or {@code Message}, and the return, body and payload types
 * of REST resource methods, WebSocket callbacks and {@code @Incoming}/{@code @Outgoing} methods,
 * in the service's classes and in the application's modules it depends on. A value whose static type says nothing
 * ({@code Object}, a type variable) is followed: to the call sites of the helper method it is a
 * parameter of (a private {@code json(Object)}), to the implementations of the interface method
 * that returned it (a handler's {@code run}), to the stores of the local it was read from, and,
 * for a map or list of {@code Object}, to what the method put into collections. Every type found
 * is walked: type arguments, record components, fields and getters, supertypes, recursively,
 * within the application's packages.
 *
 * A value a lambda captured and hands to JSON is followed to where the lambda was made.
 *
 * <p>What it cannot follow (an array element, a {@code TypeReference}, a method reference to a
 * JSON method, a lambda's own parameter handed to JSON) is listed in {@link #unresolved()}, so a
 * new kind of JSON call fails a test instead of being skipped.
 */
public final class JsonTypes {
    private static final String JACKSON = "com/fasterxml/jackson/databind/";
    private static final Set<String> JACKSON_OWNERS = Set.of(JACKSON + "ObjectMapper", JACKSON + "ObjectWriter",
            JACKSON + "ObjectReader");
    private static final Set<String> JACKSON_METHODS = Set.of("writeValue", "writeValueAsString", "writeValueAsBytes",
            "valueToTree", "convertValue", "updateValue", "readValue", "readValues", "treeToValue", "readerFor",
            "writerFor", "readerForUpdating", "writerWithType", "forType");
    private static final Set<String> ENTITY_OWNERS = Set.of("jakarta/ws/rs/core/Response",
            "jakarta/ws/rs/core/Response$ResponseBuilder", "org/jboss/resteasy/reactive/RestResponse",
            "org/jboss/resteasy/reactive/RestResponse$ResponseBuilder", "io/vertx/core/json/Json",
            "io/vertx/core/json/JsonObject");
    /** Their methods that take an entity, a frame or a value to map (not a header value). */
    private static final Set<String> ENTITY_METHODS = Set.of("ok", "accepted", "entity", "status", "encode",
            "encodePrettily", "encodeToBuffer", "decodeValue", "mapFrom", "mapTo");
    /** Payloads of reactive messaging, which the RabbitMQ connector writes and reads as JSON. */
    private static final Set<String> MESSAGING_OWNERS = Set.of("org/eclipse/microprofile/reactive/messaging/Emitter",
            "io/smallrye/reactive/messaging/MutinyEmitter", "org/eclipse/microprofile/reactive/messaging/Message");
    private static final Set<String> OPAQUE = Set.of("Ljava/lang/Object;", "Ljava/lang/Record;",
            "Ljava/io/Serializable;", "Ljava/lang/Comparable;");
    /** Calls through which a value lands in a collection (a result built as a map of this and that). */
    private static final Set<String> COLLECTING = Set.of("of", "ofEntries", "entry", "put", "putIfAbsent", "putAll",
            "add", "addAll", "set", "asList", "singleton", "singletonList", "singletonMap", "copyOf", "<init>");
    private static final Pattern CLASS_IN_SIGNATURE = Pattern.compile("L([\\w/$]+)");
    private static final Pattern TYPE_VARIABLE = Pattern.compile("[<;]T[\\w$]+;");
    private static final String INCOMING = "Lorg/eclipse/microprofile/reactive/messaging/Incoming;";
    private static final String OUTGOING = "Lorg/eclipse/microprofile/reactive/messaging/Outgoing;";
    private static final String[] REST_METHODS = { "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" };

    private enum Kind {
        /** An object Jackson writes or converts: its static type counts. */
        VALUE,
        /** A {@code Class} naming what Jackson reads into: its constant counts. */
        CLASS
    }

    private record MethodRef(String owner, String name, String desc) {
        static MethodRef of(MethodInsnNode call) {
            return new MethodRef(call.owner, call.name, call.desc);
        }

        @Override
        public String toString() {
            return owner.substring(owner.lastIndexOf('/') + 1) + "." + name;
        }
    }

    /** A method with its frames: the instructions that produced each stack and local value. */
    private record Code(ClassNode owner, MethodNode method, Frame<SourceValue>[] frames) {
        MethodRef ref() {
            return new MethodRef(owner.name, method.name, method.desc);
        }

        Frame<SourceValue> at(AbstractInsnNode insn) {
            return frames[method.instructions.indexOf(insn)];
        }

        boolean isStatic() {
            return (method.access & Opcodes.ACC_STATIC) != 0;
        }

        String where(AbstractInsnNode insn) {
            for (AbstractInsnNode i = insn; i != null; i = i.getPrevious()) {
                if (i instanceof LineNumberNode line) {
                    return ref() + " (" + owner.sourceFile + ":" + line.line + ")";
                }
            }
            return ref().toString();
        }
    }

    private final String packagePrefix;
    private final ClassLoader loader;
    private final Map<String, ClassNode> classes = new HashMap<>();
    private final Map<MethodRef, Code> code = new LinkedHashMap<>();
    private final Map<MethodRef, Map<Integer, Kind>> helperSinks = new HashMap<>();
    private final Set<String> done = new HashSet<>();
    private final SortedMap<String, String> roots = new TreeMap<>();
    private final SortedMap<String, String> types = new TreeMap<>();
    private final SortedSet<String> unresolved = new TreeSet<>();

    private JsonTypes(String packagePrefix, ClassLoader loader) {
        this.packagePrefix = packagePrefix;
        this.loader = loader;
    }

    /**
     * Scans the classes directory that holds {@code anyServiceClass} (a service's
     * {@code target/classes}) and the application's other modules on the classpath (the shared
     * modules the service calls into), counting as application types those in
     * {@code packagePrefix} (for example {@code io.hotpot.}) and whatever they reach there. Test
     * classes are left out.
     */
    public static JsonTypes scan(Class<?> anyServiceClass, String packagePrefix) {
        Path classes = codeSource(anyServiceClass);
        if (!Files.isDirectory(classes)) {
            throw new IllegalArgumentException(anyServiceClass + " was not loaded from a classes directory: " + classes);
        }
        JsonTypes scan = new JsonTypes(packagePrefix, anyServiceClass.getClassLoader());
        scan.read(classes);
        scan.readModules(codeSource(JsonTypes.class));
        scan.analyse();
        scan.run();
        return scan;
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Every application type Jackson may touch, each with the first place that leads to it. */
    public SortedMap<String, String> types() {
        return types;
    }

    /** JSON calls whose types could not be told from the code; empty when the scan is complete. */
    public SortedSet<String> unresolved() {
        return unresolved;
    }

    /** The types found but not among {@code registered}, with where each is used. */
    public SortedMap<String, String> missingFrom(Collection<Class<?>> registered) {
        Set<String> names = new HashSet<>();
        registered.forEach(c -> names.add(c.getName()));
        SortedMap<String, String> missing = new TreeMap<>(types);
        missing.keySet().removeAll(names);
        return missing;
    }

    /**
     * The application types Jackson meets when it reads or writes {@code root} (found another way,
     * for example by asking beans at run time): the root and what it holds, recursively.
     */
    public static SortedMap<String, String> reachable(Type root, String packagePrefix) {
        JsonTypes walk = new JsonTypes(packagePrefix, JsonTypes.class.getClassLoader());
        walk.walk(root, "root");
        return walk.types;
    }

    private void read(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    add(in);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The application's classes in the other classpath roots: modules in the reactor, or their jars. */
    private void readModules(Path fixtures) {
        String folder = packagePrefix.replace('.', '/');
        try {
            for (URL root : Collections.list(loader.getResources(folder.substring(0, folder.length() - 1)))) {
                String url = root.toString();
                if (url.contains("/test-classes/") || url.startsWith("file:") && Path.of(root.toURI()).startsWith(fixtures)) {
                    continue;
                }
                if (url.startsWith("jar:")) {
                    String jar = url.substring("jar:".length(), url.indexOf("!/"));
                    if (Path.of(URI.create(jar)).equals(fixtures)) {
                        continue;
                    }
                    try (ZipFile zip = new ZipFile(Path.of(URI.create(jar)).toFile())) {
                        for (ZipEntry entry : Collections.list(zip.entries())) {
                            if (entry.getName().startsWith(folder) && entry.getName().endsWith(".class")) {
                                try (InputStream in = zip.getInputStream(entry)) {
                                    add(in);
                                }
                            }
                        }
                    }
                } else if (url.startsWith("file:")) {
                    read(Path.of(root.toURI()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private void add(InputStream in) throws IOException {
        ClassNode node = new ClassNode();
        new ClassReader(in).accept(node, 0);
        classes.putIfAbsent(node.name, node);
    }

    private void analyse() {
        for (ClassNode owner : classes.values()) {
            for (MethodNode method : owner.methods) {
                if (method.instructions.size() == 0) {
                    continue;
                }
                try {
                    Frame<SourceValue>[] frames = new Analyzer<>(new SourceInterpreter()).analyze(owner.name, method);
                    Code c = new Code(owner, method, frames);
                    code.put(c.ref(), c);
                } catch (AnalyzerException e) {
                    throw new IllegalStateException("cannot analyse " + owner.name + "." + method.name, e);
                }
            }
        }
    }

    private void run() {
        int sinks;
        do {
            sinks = helperSinks.values().stream().mapToInt(Map::size).sum();
            for (Code c : List.copyOf(code.values())) {
                for (AbstractInsnNode insn : c.method.instructions) {
                    if (insn instanceof MethodInsnNode call) {
                        Map<Integer, Kind> args = new HashMap<>(libraryArgs(call));
                        args.putAll(helperSinks.getOrDefault(MethodRef.of(call), Map.of()));
                        Frame<SourceValue> frame = c.at(call);
                        int count = org.objectweb.asm.Type.getArgumentTypes(call.desc).length;
                        for (Map.Entry<Integer, Kind> arg : args.entrySet()) {
                            SourceValue value = frame.getStack(frame.getStackSize() - count + arg.getKey());
                            resolve(c, value, arg.getValue(), MethodRef.of(call) + " in " + c.where(call));
                        }
                    } else if (insn instanceof InvokeDynamicInsnNode indy) {
                        for (Object bsmArg : indy.bsmArgs) {
                            if (bsmArg instanceof Handle h && isSink(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, h.getOwner(),
                                    h.getName(), h.getDesc())) && !followCaptured(c, indy, h)) {
                                unresolved.add(c.where(indy) + ": a method reference to " + h.getOwner() + "." + h.getName()
                                        + " (call it with a typed value instead)");
                            }
                        }
                    }
                }
            }
        } while (sinks != helperSinks.values().stream().mapToInt(Map::size).sum());
        declaredEndpoints();
        roots.forEach((name, where) -> walk(load(name), where));
    }

    /**
     * A lambda whose body hands one of its parameters to JSON, where that parameter is a value the
     * lambda captured (as {@code () -> store.write(value)}): the captured values are on the stack
     * at the {@code invokedynamic}, in the order of the lambda method's parameters (after the
     * receiver, for a lambda that uses {@code this}), and are followed like a call's arguments.
     * False when a JSON parameter is one the lambda is given when it runs: that value cannot be seen here.
     */
    private boolean followCaptured(Code c, InvokeDynamicInsnNode indy, Handle lambda) {
        Map<Integer, Kind> sinks = helperSinks.get(new MethodRef(lambda.getOwner(), lambda.getName(), lambda.getDesc()));
        if (sinks == null) {
            return false;
        }
        int captured = org.objectweb.asm.Type.getArgumentTypes(indy.desc).length;
        int receiver = lambda.getTag() == Opcodes.H_INVOKESTATIC ? 0 : 1;
        Frame<SourceValue> frame = c.at(indy);
        for (Map.Entry<Integer, Kind> sink : sinks.entrySet()) {
            int position = sink.getKey() + receiver;
            if (position >= captured) {
                return false;
            }
            resolve(c, frame.getStack(frame.getStackSize() - captured + position), sink.getValue(),
                    lambda.getName() + " in " + c.where(indy));
        }
        return true;
    }

    private boolean isSink(MethodInsnNode call) {
        return !libraryArgs(call).isEmpty() || helperSinks.containsKey(MethodRef.of(call));
    }

    /** The arguments of a library call that Jackson writes (VALUE) or reads into (CLASS). */
    private Map<Integer, Kind> libraryArgs(MethodInsnNode call) {
        boolean jackson = JACKSON_OWNERS.contains(call.owner) && JACKSON_METHODS.contains(call.name);
        boolean entity = ENTITY_OWNERS.contains(call.owner) && ENTITY_METHODS.contains(call.name)
                || call.owner.startsWith("io/quarkus/websockets/next/") && call.name.startsWith("sendText")
                || MESSAGING_OWNERS.contains(call.owner) && (call.name.startsWith("send") || call.name.equals("of")
                        || call.name.equals("withPayload"));
        if (!jackson && !entity) {
            return Map.of();
        }
        Map<Integer, Kind> args = new HashMap<>();
        org.objectweb.asm.Type[] types = org.objectweb.asm.Type.getArgumentTypes(call.desc);
        for (int i = 0; i < types.length; i++) {
            String desc = types[i].getDescriptor();
            if (desc.equals("Ljava/lang/Object;")) {
                args.put(i, Kind.VALUE);
            } else if (desc.equals("Ljava/lang/Class;")) {
                args.put(i, Kind.CLASS);
            } else if (jackson && (desc.equals("Lcom/fasterxml/jackson/core/type/TypeReference;")
                    || desc.equals("Lcom/fasterxml/jackson/databind/JavaType;"))) {
                unresolved.add(call.owner + "." + call.name + " with a " + types[i].getClassName()
                        + ": pass a Class, or extend this scan");
            }
        }
        return args;
    }

    private void resolve(Code c, SourceValue value, Kind kind, String site) {
        for (AbstractInsnNode insn : value.insns) {
            String key = c.ref() + "#" + c.method.instructions.indexOf(insn) + "#" + kind;
            if (done.add(key)) {
                resolveInsn(c, insn, kind, site);
            }
        }
    }

    private SourceValue top(Code c, AbstractInsnNode insn) {
        Frame<SourceValue> frame = c.at(insn);
        return frame.getStack(frame.getStackSize() - 1);
    }

    private void resolveInsn(Code c, AbstractInsnNode insn, Kind kind, String site) {
        String where = c.where(insn) + " → " + site;
        switch (insn.getOpcode()) {
            case Opcodes.ACONST_NULL -> {
            }
            case Opcodes.NEW -> {
                if (kind == Kind.VALUE) {
                    found("L" + ((TypeInsnNode) insn).desc + ";", null, where);
                }
            }
            case Opcodes.LDC -> {
                if (kind == Kind.CLASS && ((LdcInsnNode) insn).cst instanceof org.objectweb.asm.Type t) {
                    found(t.getDescriptor(), null, where);
                }
            }
            case Opcodes.CHECKCAST -> {
                String desc = "L" + ((TypeInsnNode) insn).desc + ";";
                if (kind == Kind.VALUE && !OPAQUE.contains(desc)) {
                    typed(c, desc, null, where);
                } else {
                    resolve(c, top(c, insn), kind, site);
                }
            }
            case Opcodes.DUP, Opcodes.DUP_X1, Opcodes.DUP_X2 -> resolve(c, top(c, insn), kind, site);
            case Opcodes.ALOAD -> local(c, (VarInsnNode) insn, kind, site, where);
            case Opcodes.GETFIELD, Opcodes.GETSTATIC -> {
                FieldInsnNode field = (FieldInsnNode) insn;
                String signature = fieldSignature(field);
                if (kind == Kind.VALUE && !opaque(field.desc, signature)) {
                    typed(c, field.desc, signature, where);
                } else {
                    unresolved.add(where + ": the field " + field.name + " says nothing of the type");
                }
            }
            case Opcodes.INVOKEVIRTUAL, Opcodes.INVOKESPECIAL, Opcodes.INVOKESTATIC, Opcodes.INVOKEINTERFACE ->
                invocation(c, (MethodInsnNode) insn, kind, site, where);
            case Opcodes.INVOKEDYNAMIC -> {
                String returned = org.objectweb.asm.Type.getReturnType(((InvokeDynamicInsnNode) insn).desc).getDescriptor();
                if (kind == Kind.CLASS || OPAQUE.contains(returned)) {
                    unresolved.add(where + ": a value made by invokedynamic");
                }
            }
            case Opcodes.AALOAD -> unresolved.add(where + ": an array element");
            default -> {
                // Primitives, arithmetic: nothing Jackson needs to reflect on.
            }
        }
    }

    private void local(Code c, VarInsnNode load, Kind kind, String site, String where) {
        SourceValue stored = c.at(load).getLocal(load.var);
        int parameter = parameterIndex(c, load.var);
        boolean isParameter = parameter >= 0 && stored.insns.isEmpty();
        String desc = null;
        String signature = null;
        LocalVariableNode variable = variable(c, load);
        if (variable != null) {
            desc = variable.desc;
            signature = variable.signature;
        } else if (isParameter) {
            desc = org.objectweb.asm.Type.getArgumentTypes(c.method.desc)[parameter].getDescriptor();
        }
        if (kind == Kind.VALUE && desc != null && !opaque(desc, signature)) {
            typed(c, desc, signature, where);
        } else if (kind == Kind.CLASS && signature != null && signature.startsWith("Ljava/lang/Class<L")) {
            found(signature.substring("Ljava/lang/Class<".length()), signature, where);
        } else if (isParameter) {
            helperSinks.computeIfAbsent(c.ref(), m -> new HashMap<>()).put(parameter, kind);
        } else if (!stored.insns.isEmpty()) {
            for (AbstractInsnNode store : stored.insns) {
                resolve(c, top(c, store), kind, site);
            }
        } else {
            unresolved.add(where + ": local " + load.var + " of unknown origin");
        }
    }

    private void invocation(Code c, MethodInsnNode call, Kind kind, String site, String where) {
        String returned = org.objectweb.asm.Type.getReturnType(call.desc).getDescriptor();
        MethodNode declared = method(call.owner, call.name, call.desc);
        String signature = declared == null || declared.signature == null ? null
                : declared.signature.substring(declared.signature.lastIndexOf(')') + 1);
        if (kind == Kind.VALUE && call.getOpcode() == Opcodes.INVOKESTATIC && call.owner.startsWith("java/util/")) {
            // List.of(a, b), Map.of("k", v): what goes in is what Jackson writes.
            collected(c, call, site);
        }
        if (kind == Kind.VALUE && !opaque(returned, signature)) {
            typed(c, returned, signature, where);
            return;
        }
        List<Code> implementations = implementations(call);
        if (implementations.isEmpty() && kind == Kind.VALUE && !classes.containsKey(call.owner)) {
            // A library method returning a type variable (Optional.get, List.get, Objects.requireNonNull):
            // the receiver's type arguments, or the arguments, stand for what it returns.
            Frame<SourceValue> frame = c.at(call);
            org.objectweb.asm.Type[] args = org.objectweb.asm.Type.getArgumentTypes(call.desc);
            int from = frame.getStackSize() - args.length - (call.getOpcode() == Opcodes.INVOKESTATIC ? 0 : 1);
            for (int i = from; i < frame.getStackSize(); i++) {
                resolve(c, frame.getStack(i), kind, site);
            }
            return;
        }
        if (implementations.isEmpty()) {
            unresolved.add(where + ": the " + (kind == Kind.CLASS ? "class" : "value") + " returned by " + call.owner
                    + "." + call.name + ", which has no implementation here");
        }
        for (Code impl : implementations) {
            for (AbstractInsnNode insn : impl.method.instructions) {
                if (insn.getOpcode() == Opcodes.ARETURN) {
                    resolve(impl, top(impl, insn), kind, site);
                }
            }
        }
    }

    /** A type with what it says; a collection whose elements are plain {@code Object} is looked into. */
    private void typed(Code c, String desc, String signature, String where) {
        found(desc, signature, where);
        String type = signature == null ? desc : signature;
        boolean container = type.startsWith("Ljava/util/") || type.startsWith("[");
        boolean saysItsElements = signature != null && signature.contains("<") && !signature.contains("Ljava/lang/Object;")
                && !signature.contains("*") && !TYPE_VARIABLE.matcher(signature).find();
        if (container && !saysItsElements) {
            for (AbstractInsnNode insn : c.method.instructions) {
                if (insn instanceof MethodInsnNode call && call.owner.startsWith("java/util/")) {
                    collected(c, call, where);
                }
            }
        }
    }

    private void collected(Code c, MethodInsnNode call, String site) {
        if (!COLLECTING.contains(call.name)) {
            return;
        }
        Frame<SourceValue> frame = c.at(call);
        org.objectweb.asm.Type[] args = org.objectweb.asm.Type.getArgumentTypes(call.desc);
        for (int i = 0; i < args.length; i++) {
            int sort = args[i].getSort();
            if (sort == org.objectweb.asm.Type.OBJECT || sort == org.objectweb.asm.Type.ARRAY) {
                resolve(c, frame.getStack(frame.getStackSize() - args.length + i), Kind.VALUE, site);
            }
        }
    }

    private void found(String desc, String signature, String where) {
        Matcher m = CLASS_IN_SIGNATURE.matcher(signature == null ? desc : signature);
        String prefix = packagePrefix.replace('.', '/');
        while (m.find()) {
            if (m.group(1).startsWith(prefix)) {
                roots.putIfAbsent(m.group(1).replace('/', '.'), where);
            }
        }
    }

    private static boolean opaque(String desc, String signature) {
        return OPAQUE.contains(desc) || signature != null && signature.startsWith("T");
    }

    private int parameterIndex(Code c, int slot) {
        int at = c.isStatic() ? 0 : 1;
        org.objectweb.asm.Type[] args = org.objectweb.asm.Type.getArgumentTypes(c.method.desc);
        for (int i = 0; i < args.length; i++) {
            if (at == slot) {
                return i;
            }
            at += args[i].getSize();
        }
        return -1;
    }

    private static LocalVariableNode variable(Code c, VarInsnNode load) {
        if (c.method.localVariables == null) {
            return null;
        }
        int at = c.method.instructions.indexOf(load);
        for (LocalVariableNode v : c.method.localVariables) {
            if (v.index == load.var && c.method.instructions.indexOf(v.start) <= at
                    && at <= c.method.instructions.indexOf(v.end)) {
                return v;
            }
        }
        return null;
    }

    private MethodNode method(String owner, String name, String desc) {
        ClassNode node = classes.get(owner);
        if (node == null) {
            return null;
        }
        return node.methods.stream().filter(m -> m.name.equals(name) && m.desc.equals(desc)).findFirst().orElse(null);
    }

    private String fieldSignature(FieldInsnNode field) {
        ClassNode node = classes.get(field.owner);
        if (node == null) {
            return null;
        }
        return node.fields.stream().filter(f -> f.name.equals(field.name)).map(f -> f.signature).findFirst().orElse(null);
    }

    /** The methods here that a call may land in: the same name and arity in the owner or a subtype. */
    private List<Code> implementations(MethodInsnNode call) {
        int arity = org.objectweb.asm.Type.getArgumentTypes(call.desc).length;
        List<Code> found = new ArrayList<>();
        for (Code c : code.values()) {
            if (c.method.name.equals(call.name) && (c.method.access & Opcodes.ACC_ABSTRACT) == 0
                    && org.objectweb.asm.Type.getArgumentTypes(c.method.desc).length == arity
                    && isSubtype(c.owner.name, call.owner)) {
                found.add(c);
            }
        }
        return found;
    }

    private boolean isSubtype(String name, String of) {
        if (name == null) {
            return false;
        }
        if (name.equals(of)) {
            return true;
        }
        ClassNode node = classes.get(name);
        if (node == null) {
            return false;
        }
        return isSubtype(node.superName, of) || node.interfaces.stream().anyMatch(i -> isSubtype(i, of));
    }

    /**
     * REST resource methods, WebSocket callbacks and reactive messaging methods: Jackson writes
     * what they return and reads their bodies and payloads.
     */
    private void declaredEndpoints() {
        for (ClassNode node : classes.values()) {
            boolean resource = annotated(node.visibleAnnotations, "Ljakarta/ws/rs/Path;");
            boolean socket = annotated(node.visibleAnnotations, "Lio/quarkus/websockets/next/WebSocket;");
            boolean messaging = node.methods.stream().anyMatch(m -> annotated(m.visibleAnnotations, INCOMING)
                    || annotated(m.visibleAnnotations, OUTGOING));
            if (!resource && !socket && !messaging) {
                continue;
            }
            Class<?> type = load(node.name.replace('/', '.'));
            for (Method m : type.getDeclaredMethods()) {
                boolean endpoint = Stream.of(m.getAnnotations()).map(a -> a.annotationType().getName())
                        .anyMatch(a -> resource && Stream.of(REST_METHODS).anyMatch(h -> a.equals("jakarta.ws.rs." + h))
                                || socket && a.startsWith("io.quarkus.websockets.next.On")
                                || a.equals(org.objectweb.asm.Type.getType(INCOMING).getClassName())
                                || a.equals(org.objectweb.asm.Type.getType(OUTGOING).getClassName()));
                if (!endpoint) {
                    continue;
                }
                String where = type.getSimpleName() + "." + m.getName();
                walk(m.getGenericReturnType(), where + " returns it");
                for (int i = 0; i < m.getParameterCount(); i++) {
                    if (m.getParameterAnnotations()[i].length == 0) {
                        walk(m.getGenericParameterTypes()[i], where + " takes it");
                    }
                }
            }
        }
    }

    private static boolean annotated(List<org.objectweb.asm.tree.AnnotationNode> annotations, String desc) {
        return annotations != null && annotations.stream().anyMatch(a -> a.desc.equals(desc));
    }

    private void walk(Type type, String where) {
        if (type instanceof ParameterizedType p) {
            walk(p.getRawType(), where);
            for (Type arg : p.getActualTypeArguments()) {
                walk(arg, where);
            }
        } else if (type instanceof WildcardType w) {
            Stream.of(w.getUpperBounds()).forEach(b -> walk(b, where));
        } else if (type instanceof GenericArrayType a) {
            walk(a.getGenericComponentType(), where);
        } else if (type instanceof Class<?> c) {
            if (c.isArray()) {
                walk(c.getComponentType(), where);
            } else if (c.getName().startsWith(packagePrefix) && !c.isAnnotation() && !types.containsKey(c.getName())) {
                types.put(c.getName(), where);
                members(c);
            }
        }
    }

    /** What Jackson looks at inside an application type. */
    private void members(Class<?> c) {
        String inside = "inside " + c.getSimpleName();
        if (c.isRecord()) {
            for (RecordComponent component : c.getRecordComponents()) {
                walk(component.getGenericType(), inside);
            }
        } else if (!c.isEnum()) {
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && !Modifier.isTransient(field.getModifiers())) {
                    walk(field.getGenericType(), inside);
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0
                        && (m.getName().startsWith("get") || m.getName().startsWith("is"))) {
                    walk(m.getGenericReturnType(), inside);
                }
            }
        }
        if (c.getGenericSuperclass() != null) {
            walk(c.getGenericSuperclass(), inside);
        }
    }

    private Class<?> load(String name) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot load " + name + " to walk it", e);
        }
    }
}
