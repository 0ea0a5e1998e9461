package io.hotpot.api.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Security headers on pages and API, CORS closed to other origins, and pages that need no inline
 * script (so the policy that forbids it breaks nothing). Authentication is off in this profile.
 */
@QuarkusTest
class BrowserSafetyTest {
    private static final Path PAGES = Path.of("src/main/resources/META-INF/resources");

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        for (String path : new String[] { "/", "/dashboard/", "/signin.html", "/assets/hotpot.js", "/api/workers",
                "/api/tasks/no-such-task", "/q/health/live", "/no-such-page" }) {
            given().get(path).then()
                    .header("Content-Security-Policy", containsString("script-src 'self';"))
                    .header("Content-Security-Policy", containsString("connect-src 'self' ws: wss:"))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("Content-Security-Policy", not(containsString("unsafe")))
                    .header("X-Content-Type-Options", equalTo("nosniff"))
                    .header("Referrer-Policy", equalTo("no-referrer"));
        }
    }

    @Test
    void otherOriginsAreNotAllowed() {
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/api/tasks").then().header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://evil.example").get("/api/workers").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void authenticationOffLetsEveryCallerDoEverything() {
        given().get("/api/workers").then().statusCode(200);
        given().get("/api/not-yet-written").then().statusCode(404);
    }

    @Test
    void pagesHaveNoInlineScriptNoHandlerAttributesAndNoInlineStyle() throws Exception {
        Pattern inlineScript = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
        Pattern handler = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
        Pattern style = Pattern.compile("<style|\\sstyle\\s*=|javascript:", Pattern.CASE_INSENSITIVE);
        List<Path> pages;
        try (Stream<Path> files = Files.walk(PAGES)) {
            pages = files.filter(f -> f.toString().endsWith(".html")).toList();
        }
        assertTrue(pages.size() >= 5, "found the pages: " + pages);
        for (Path page : pages) {
            String html = Files.readString(page);
            assertEquals(List.of(), Stream.of(inlineScript, handler, style)
                    .filter(p -> p.matcher(html).find()).map(Pattern::pattern).toList(), page.toString());
        }
    }
}
