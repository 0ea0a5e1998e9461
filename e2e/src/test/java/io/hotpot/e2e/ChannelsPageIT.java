package io.hotpot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Django Channels compatibility in a real browser: a room page written as the Channels tutorial
 * writes it (it appends {@code data.message} for every frame it receives, whatever the frame), served
 * by the local ingress beside Hotpot, over plain http and ws as the tutorial does. Two windows
 * in one room and one in another: each chat log holds exactly the messages sent to its room,
 * no {@code undefined} lines from history markers, presence or errors. The services run as
 * {@code ./hotpot up} runs them (authentication off, anonymous chat): the tutorial's page has no
 * token, and Hotpot's own dashboard works without signing in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChannelsPageIT {
    private final Path root = Path.of(System.getProperty("hotpot.root", "..")).toAbsolutePath().normalize();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<WebDriver> browsers = new ArrayList<>();
    private Path pages;
    private Suite suite;
    private LocalIngress ingress;

    @BeforeAll
    void start() throws Exception {
        // nginx's worker reads the pages as an unprivileged user.
        pages = Files.createTempDirectory("hotpot-channels", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        String template = Files.readString(Path.of(Suite.resource("channels-tutorial/room.html")));
        for (String room : List.of(room("one"), room("two"))) {
            // What Django's {{ room_name|json_script:"room-name" }} renders: the name as a JSON string.
            Path page = pages.resolve(room + ".html");
            Files.writeString(page, template.replace("@ROOM@", room));
            Files.setPosixFilePermissions(page, PosixFilePermissions.fromString("rw-r--r--"));
        }
        ingress = new LocalIngress(root).serving("/channels-tutorial/", pages);
        // The page needs chat-service, and the ingress api-service behind "/"; no task runs here.
        // The tutorial's page carries no token: this is the local mode of ./hotpot up (anonymous chat).
        suite = Suite.localMode();
        Suite.Replica api = suite.startReplica("api-service", "api-service", List.of());
        Suite.Replica chat = suite.startReplica("chat-service", "chat-service",
                List.of("-Dhotpot.chat.allowed-origins=" + ingress.httpOrigin()));
        ingress.start(api.port(), chat.port());
    }

    @AfterAll
    void stop() throws Exception {
        browsers.forEach(WebDriver::quit);
        if (ingress != null) {
            ingress.close();
        }
        if (suite != null) {
            suite.close();
        }
        try (RedisCli redis = new RedisCli()) {
            for (String room : List.of(room("one"), room("two"))) {
                redis.del(io.hotpot.common.RedisKeys.chatRoom(room), io.hotpot.common.RedisKeys.chatMembers(room));
                redis.zrem(io.hotpot.common.RedisKeys.CHAT_ROOMS, room);
            }
        }
    }

    private String room(String name) {
        return "channels-" + name + "-" + run;
    }

    private WebDriver browser() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + Files.createTempDirectory("hotpot-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        browsers.add(driver);
        return driver;
    }

    private WebDriver open(String room) throws Exception {
        WebDriver driver = browser();
        driver.get(ingress.httpOrigin() + "/channels-tutorial/" + room + ".html");
        // The tutorial's page shows nothing when connected; its socket is a global of the page.
        waiting(driver).until(d -> Long.valueOf(1).equals(((JavascriptExecutor) d).executeScript("return chatSocket.readyState")));
        return driver;
    }

    private static WebDriverWait waiting(WebDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    private static String log(WebDriver driver) {
        return driver.findElement(By.id("chat-log")).getDomProperty("value");
    }

    private static void say(WebDriver driver, String text) {
        WebElement input = driver.findElement(By.id("chat-message-input"));
        input.sendKeys(text);
        driver.findElement(By.id("chat-message-submit")).click();
    }

    @Test
    void eachChatLogHoldsExactlyTheMessagesOfItsRoom() throws Exception {
        WebDriver alice = open(room("one"));
        WebDriver bob = open(room("one"));
        WebDriver carol = open(room("two"));

        say(alice, "hello from alice");
        waiting(bob).until(d -> log(d).contains("hello from alice"));
        say(bob, "hi alice");
        waiting(alice).until(d -> log(d).contains("hi alice"));
        say(carol, "carol alone in two");
        waiting(carol).until(d -> log(d).contains("carol alone in two"));
        // A frame Hotpot refuses gets no error frame on this page (it would print "undefined").
        ((JavascriptExecutor) alice).executeScript("chatSocket.send('not json')");
        say(alice, "last one");
        waiting(bob).until(d -> log(d).contains("last one"));
        waiting(alice).until(d -> log(d).contains("last one"));
        // A fourth window joins room one: the history arrives as plain messages, and nobody sees the join.
        WebDriver dave = open(room("one"));
        waiting(dave).until(d -> log(d).contains("last one"));
        say(dave, "dave was here");
        for (WebDriver person : List.of(alice, bob, dave)) {
            waiting(person).until(d -> log(d).contains("dave was here"));
        }

        String roomOne = "hello from alice\nhi alice\nlast one\ndave was here\n";
        assertEquals(roomOne, log(alice));
        assertEquals(roomOne, log(bob));
        assertEquals(roomOne, log(dave));
        assertEquals("carol alone in two\n", log(carol));
    }

    /** As ./hotpot up runs without HOTPOT_AUTH=on: Hotpot's own dashboard works without signing in. */
    @Test
    void withAuthenticationOffTheDashboardNeedsNoSignIn() throws Exception {
        WebDriver ops = browser();
        ops.get(ingress.httpOrigin() + "/dashboard/");
        // Live: /ws/tasks let an anonymous watcher in (read, as the local mode grants).
        waiting(ops).until(ExpectedConditions.textToBe(By.id("connection"), "live"));
        // The queues come from GET /api/queues, answered without a key (a refusal would show its message there).
        waiting(ops).until(d -> d.findElements(By.cssSelector("#queues tbody tr td:first-child")).stream()
                .anyMatch(cell -> cell.getText().equals("default")));
        assertTrue(ops.findElements(By.id("signin-hint")).isEmpty(), "no sign-in asked for");
    }
}
