package io.hotpot.api.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The pages are static files served by api-service; their scripts are files too, never inline. */
@QuarkusTest
class PagesTest {
    @Test
    void pagesAndTheirScriptsAreServed() {
        for (String page : new String[] { "/", "/chat/", "/chat/room.html", "/dashboard/" }) {
            given().get(page).then().statusCode(200).contentType(containsString("text/html"))
                    .body(not(containsString("<script>")))
                    .body(containsString("/assets/hotpot.css"));
        }
        for (String script : new String[] { "hotpot.js", "chat-index.js", "chat-room.js", "dashboard.js" }) {
            given().get("/assets/" + script).then().statusCode(200).body(containsString("'use strict'"));
        }
    }

    @Test
    void chatMessagesAreWrittenAsTextNeverAsHtml() {
        given().get("/assets/hotpot.js").then().statusCode(200)
                .body(containsString("createTextNode"))
                .body(not(containsString("innerHTML")));
        given().get("/assets/chat-room.js").then().body(not(containsString("innerHTML")));
        given().get("/assets/dashboard.js").then().body(not(containsString("innerHTML")));
    }
}
