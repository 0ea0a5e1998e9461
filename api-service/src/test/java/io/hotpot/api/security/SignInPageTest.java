package io.hotpot.api.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The sign-in page turns a key into a token kept for the tab's life, and the dashboard offers
 * admin actions only to a token with the admin role (the server refuses them anyway).
 */
@QuarkusTest
class SignInPageTest {
    @Test
    void signInExchangesTheKeyForATokenKeptInSessionStorage() {
        given().get("/signin.html").then().statusCode(200)
                .body(containsString("<script src=\"/assets/signin.js\" defer></script>"))
                .body(containsString("type=\"password\""));
        given().get("/assets/signin.js").then().statusCode(200)
                .body(containsString("Hotpot.api('/api/tokens', { method: 'POST', json: { key, roles } })"))
                .body(containsString("sessionStorage.setItem('hotpot.token', answer.token)"))
                .body(not(containsString("localStorage")));
    }

    @Test
    void pagesSendTheTokenAndTheDashboardHidesAdminActionsWithoutTheRole() {
        given().get("/assets/hotpot.js").then().statusCode(200)
                .body(containsString("opts.headers.Authorization = 'Bearer ' + token"))
                // The token rides in a subprotocol, never in a WebSocket URL (access logs).
                .body(containsString("['hotpot.v1', 'hotpot.bearer.' + token]"))
                .body(containsString("new WebSocket(urlFor(), protocols())"))
                .body(not(containsString("query.set('token'")))
                .body(containsString("c.groups.includes('admin')"));
        given().get("/assets/dashboard.js").then().statusCode(200)
                .body(containsString("Hotpot.mayAdmin() ? el('button'"));
    }
}
