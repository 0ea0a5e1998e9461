package io.hotpot.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

import org.junit.jupiter.api.Test;

/**
 * The policy covers every endpoint: found by reflection over the {@code @Path} classes compiled
 * into api-service, each must have a rule of its own in {@link EndpointPolicy} and a row in the
 * access test's {@link EndpointTable}, with the same role in both.
 */
class EndpointPolicyTest {
    private static final List<Class<? extends Annotation>> METHODS = List.of(GET.class, POST.class, PUT.class,
            DELETE.class, PATCH.class, HEAD.class);

    @Test
    void everyJaxRsEndpointHasARuleAndARowInTheAccessTest() throws Exception {
        List<String> endpoints = endpoints();
        assertTrue(endpoints.contains("POST /api/tasks"), "the scan found the resources: " + endpoints);
        List<String> missing = new ArrayList<>();
        for (String endpoint : endpoints) {
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String template = endpoint.substring(endpoint.indexOf(' ') + 1);
            var rule = EndpointPolicy.explicitRule(method, template.replaceAll("\\{[^}]+}", "x"));
            var row = EndpointTable.ROWS.stream()
                    .filter(r -> r.method().equals(method) && r.template().equals(template)).findFirst();
            if (rule.isEmpty()) {
                missing.add(endpoint + ": no rule in EndpointPolicy.RULES");
            } else if (row.isEmpty()) {
                missing.add(endpoint + ": no row in EndpointTable (the access test)");
            } else if (rule.get().role() != row.get().role()) {
                missing.add(endpoint + ": the policy says " + rule.get().role() + ", the access test " + row.get().role());
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void theTableAndThePolicyAgreeRowByRow() {
        for (EndpointTable.Row row : EndpointTable.ROWS) {
            var rule = EndpointPolicy.explicitRule(row.method(), row.path().replaceAll("\\?.*", ""));
            assertTrue(rule.isPresent(), row.name());
            assertEquals(row.template(), rule.get().path(), row.name());
            assertEquals(row.role(), rule.get().role(), row.name());
        }
        assertEquals(EndpointPolicy.RULES.size(), EndpointTable.ROWS.size(), "one row per rule");
    }

    @Test
    void unlistedApiPathsNeedAdminAndOthersAreOpen() {
        assertEquals(Role.ADMIN, EndpointPolicy.ruleFor("GET", "/api/brand-new").role());
        assertEquals(Role.ADMIN, EndpointPolicy.ruleFor("POST", "/API/tasks").role());
        assertEquals(Role.ADMIN, EndpointPolicy.ruleFor("POST", "/api/tasks;x=1").role());
        assertEquals(Role.READ, EndpointPolicy.ruleFor("HEAD", "/api/tasks/abc").role());
        assertEquals(Role.READ, EndpointPolicy.ruleFor("GET", "/api/tasks/").role());
        assertEquals(Role.SUBMIT, EndpointPolicy.ruleFor("POST", "/api//tasks").role());
        assertTrue(EndpointPolicy.ruleFor("OPTIONS", "/api/tasks").open());
        assertTrue(EndpointPolicy.ruleFor("GET", "/q/health/ready").open());
        assertTrue(EndpointPolicy.ruleFor("GET", "/dashboard/").open());
        assertFalse(EndpointPolicy.ruleFor("DELETE", "/api/tasks/abc").open());
    }

    /** "METHOD /template" of every resource method under target/classes. */
    static List<String> endpoints() throws IOException, ClassNotFoundException {
        Path classes = Path.of(EndpointPolicy.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .toList();
        }
        Set<String> endpoints = new TreeSet<>();
        for (String name : names) {
            Class<?> type = Class.forName(name, false, EndpointPolicyTest.class.getClassLoader());
            jakarta.ws.rs.Path root = type.getAnnotation(jakarta.ws.rs.Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
                for (Class<? extends Annotation> verb : METHODS) {
                    if (method.isAnnotationPresent(verb)) {
                        endpoints.add(verb.getSimpleName() + " " + join(root.value(), sub == null ? "" : sub.value()));
                    }
                }
            }
        }
        return endpoints.stream().collect(Collectors.toList());
    }

    private static String join(String root, String sub) {
        String path = ("/" + root + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
