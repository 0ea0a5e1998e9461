package io.hotpot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages in a real browser (Debian's headless Chromium through its chromedriver), over
 * https and wss through the local nginx ingress, against the four packaged services.
 * Screenshots of the chat and the dashboard land in {@code docs/screenshots/} for the README.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserIT {
    private final Path root = Path.of(System.getProperty("hotpot.root", "..")).toAbsolutePath().normalize();
    private final String queue = "browser-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<WebDriver> browsers = new ArrayList<>();
    private final Map<String, String> keys = new HashMap<>();
    private Suite suite;
    private LocalIngress ingress;

    @BeforeAll
    void start() throws Exception {
        ingress = new LocalIngress(root);
        // Authentication on, as production: each person has a key of their own and signs in with it.
        suite = new Suite();
        for (String person : List.of("alice", "bob", "carol")) {
            keys.put(person, suite.addKey(person, "chat+read"));
        }
        keys.put("ops", suite.addKey("ops", "read+submit"));
        suite.start(Map.of(
                "worker-service", List.of("-Dhotpot.worker.queue=" + queue, "-Dhotpot.worker.id=browser-" + queue),
                // chat-service checks Origin against its allow-list: the ingress's origin is the pages'.
                "chat-service", List.of("-Dhotpot.chat.allowed-origins=" + ingress.httpsOrigin())));
        ingress.start(suite.uri("api-service", "/").getPort(), suite.uri("chat-service", "/").getPort());
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
        // The run's own queue and its dead letters go with the run.
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (com.rabbitmq.client.Connection connection = factory.newConnection();
                com.rabbitmq.client.Channel channel = connection.createChannel()) {
            channel.queueDelete(io.hotpot.common.Amqp.queueName(queue));
            RedisCli.forgetQueue(queue);
            channel.queueDelete(io.hotpot.common.Amqp.deadQueueName(queue));
        }
    }

    private WebDriver browser() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.setAcceptInsecureCerts(true); // the ingress's self-signed certificate
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory("hotpot-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        browsers.add(driver);
        return driver;
    }

    private static WebDriverWait waiting(WebDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    /**
     * Signs in as a person does: the sign-in page, the person's API key pasted, the roles it holds
     * ticked (and no others); the page exchanges the key for a token and goes on to {@code next}.
     */
    private void signIn(WebDriver driver, String person, Set<String> roles, String next) {
        driver.get(ingress.httpsOrigin() + "/signin.html?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
        for (WebElement box : driver.findElements(By.cssSelector("input[name=role]"))) {
            if (box.isSelected() != roles.contains(box.getDomProperty("value"))) {
                box.click();
            }
        }
        driver.findElement(By.id("signin-key")).sendKeys(keys.get(person));
        driver.findElement(By.id("signin-submit")).click();
        waiting(driver).until(d -> d.getCurrentUrl().equals(ingress.httpsOrigin() + next));
        assertTrue(((String) ((JavascriptExecutor) driver).executeScript("return sessionStorage.getItem('hotpot.token') || ''"))
                .split("\\.").length == 3, "the page holds a token after signing in");
    }

    /** The text of the first element {@code css} selects, read in one script ("" when there is none). */
    private static String text(WebDriver driver, String css) {
        return (String) ((JavascriptExecutor) driver).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : ''", css);
    }

    private static List<String> messages(WebDriver driver) {
        return driver.findElements(By.cssSelector("#chat-log .msg-text")).stream().map(WebElement::getText).toList();
    }

    private static List<String> members(WebDriver driver) {
        return driver.findElements(By.cssSelector("#members li")).stream().map(WebElement::getText).toList();
    }

    private static void say(WebDriver driver, String text) {
        WebElement input = driver.findElement(By.id("chat-message-input"));
        input.sendKeys(text);
        driver.findElement(By.id("chat-message-submit")).click();
    }

    private static void awaitMessage(WebDriver driver, String text) {
        waiting(driver).until(d -> messages(d).contains(text));
    }

    private void screenshot(WebDriver driver, String name) throws Exception {
        Path target = root.resolve("docs/screenshots/" + name + ".png");
        Files.createDirectories(target.getParent());
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void twoPeopleChatAThirdSeesTheHistoryAndMarkupStaysText() throws Exception {
        String room = "browser-" + UUID.randomUUID().toString().substring(0, 8);
        String page = "/chat/room.html?room=" + room;
        WebDriver alice = browser();
        WebDriver bob = browser();
        signIn(alice, "alice", Set.of("chat", "read"), page);
        signIn(bob, "bob", Set.of("chat", "read"), page);
        for (WebDriver person : List.of(alice, bob)) {
            waiting(person).until(ExpectedConditions.textToBe(By.id("connection"), "live"));
            assertTrue(((String) ((JavascriptExecutor) person).executeScript("return location.protocol")).equals("https:"));
        }

        say(alice, "Hello from Alice");
        awaitMessage(bob, "Hello from Alice");
        say(bob, "Hi Alice, Bob here");
        awaitMessage(alice, "Hi Alice, Bob here");

        String markup = "<script>window.hacked = true</script><b>not bold</b>";
        say(alice, markup);
        awaitMessage(bob, markup);
        assertNull(((JavascriptExecutor) bob).executeScript("return window.hacked === undefined ? null : window.hacked"));
        assertTrue(bob.findElements(By.cssSelector("#chat-log b")).isEmpty(), "markup is shown as text, not rendered");

        WebDriver carol = browser();
        signIn(carol, "carol", Set.of("chat", "read"), page);
        waiting(carol).until(d -> messages(d).size() >= 3);
        assertEquals(List.of("Hello from Alice", "Hi Alice, Bob here", markup), messages(carol));
        // Presence: everyone sees the three of them listed, by the names their keys carry.
        List<String> everyone = List.of("alice", "bob", "carol");
        waiting(alice).until(d -> members(d).equals(everyone));
        waiting(carol).until(d -> members(d).equals(everyone));
        screenshot(bob, "chat");
    }

    @Test
    void aTaskSubmittedFromTheDashboardReachesSuccessWithoutAReload() throws Exception {
        WebDriver ops = browser();
        // Without signing in the API refuses the page's calls, and the page says so.
        ops.get(ingress.httpsOrigin() + "/dashboard/");
        waiting(ops).until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-hint")));
        signIn(ops, "ops", Set.of("read", "submit"), "/dashboard/");
        waiting(ops).until(ExpectedConditions.textToBe(By.id("connection"), "live"));
        waiting(ops).until(d -> d.findElements(By.cssSelector("#task-type option[value='add']")).size() == 1);
        ((JavascriptExecutor) ops).executeScript("window.loadedOnce = 'yes'");

        new Select(ops.findElement(By.id("task-type"))).selectByValue("add");
        WebElement args = ops.findElement(By.id("task-args"));
        args.clear();
        args.sendKeys("{\"x\": 20, \"y\": 22}");
        WebElement queueField = ops.findElement(By.id("task-queue"));
        queueField.clear();
        queueField.sendKeys(queue);
        ops.findElement(By.id("task-submit")).click();

        waiting(ops).until(ExpectedConditions.textMatches(By.id("submit-result"), java.util.regex.Pattern.compile("Accepted: .+")));
        String id = ops.findElement(By.id("submit-result")).getText().substring("Accepted: ".length());
        By row = By.cssSelector("#tasks tr[data-id='" + id + "']");
        waiting(ops).until(d -> !d.findElements(row).isEmpty()
                && d.findElement(row).getText().contains("SUCCESS") && d.findElement(row).getText().contains("42"));
        assertEquals("yes", ((JavascriptExecutor) ops).executeScript("return window.loadedOnce"), "no reload happened");

        // A snapshot overtaken by the live stream: after a submission the page reads the task
        // (GET /api/tasks/{id}) while it still runs. Held back here until the row shows the SUCCESS
        // that /ws/tasks brought meanwhile, that older answer must not put the row back.
        ((JavascriptExecutor) ops).executeScript("""
                window.heldAnswers = [];
                window.originalFetch = window.fetch;
                window.fetch = async (path, opts) => {
                  const response = await window.originalFetch(path, opts);
                  const task = /^\\/api\\/tasks\\/([0-9a-f-]{36})$/.exec(path);
                  if (!task || opts.method) return response;
                  const row = () => document.querySelector(`#tasks tr[data-id='${task[1]}']`);
                  await new Promise(shown => {
                    const check = () => row() && row().textContent.includes('SUCCESS') ? shown() : setTimeout(check, 20);
                    check();
                  });
                  const json = response.json.bind(response);
                  // Counted in a task of its own, after the page's code has taken the answer in.
                  response.json = async () => { const body = await json(); setTimeout(() => window.heldAnswers.push(body.status)); return body; };
                  return response;
                };""");
        new Select(ops.findElement(By.id("task-type"))).selectByValue("sleep");
        args.clear();
        args.sendKeys("{\"seconds\": 3}");
        ops.findElement(By.id("task-submit")).click();
        waiting(ops).until(d -> {
            String accepted = d.findElement(By.id("submit-result")).getText();
            return accepted.startsWith("Accepted: ") && !accepted.endsWith(id);
        });
        String slow = ops.findElement(By.id("submit-result")).getText().substring("Accepted: ".length());
        waiting(ops).until(d -> !((List<?>) ((JavascriptExecutor) d).executeScript("return window.heldAnswers")).isEmpty());
        Object held = ((JavascriptExecutor) ops).executeScript("return window.heldAnswers");
        assertTrue(List.of(List.of("PENDING"), List.of("STARTED")).contains(held), "the held answer was read before the task ended: " + held);
        assertTrue(text(ops, "#tasks tr[data-id='" + slow + "']").contains("SUCCESS"), "the row still shows the newer SUCCESS");
        ((JavascriptExecutor) ops).executeScript("window.fetch = window.originalFetch");

        // A group submitted with the page's own token: its row appears and its bar fills as the tasks
        // finish, from the group events on /ws/tasks, with no reload.
        // Twenty sleeps of 0.1 s to 2 s: they finish one after the other, about every 100 ms.
        // Every value a group's bar shows, recorded by the page as it draws it: nothing is missed
        // between two polls of a slow host.
        ((JavascriptExecutor) ops).executeScript("""
                window.barValues = {};
                new MutationObserver(() => document.querySelectorAll('#groups tr[data-id]').forEach(row => {
                  const bar = row.querySelector('[role=progressbar]');
                  const values = window.barValues[row.dataset.id] = window.barValues[row.dataset.id] || [];
                  const now = Number(bar.getAttribute('aria-valuenow'));
                  if (values[values.length - 1] !== now) values.push(now);
                })).observe(document.getElementById('groups'), { subtree: true, childList: true });""");
        String tasks = String.join(",", java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(i ->
                "{\"type\":\"sleep\",\"args\":{\"seconds\":" + (i / 10.0) + "},\"queue\":\"" + queue + "\"}").toList());
        String group = (String) ((JavascriptExecutor) ops).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "Hotpot.api('/api/groups', {method: 'POST', json: {tasks: [" + tasks + "], then: {type: 'sum', args: {},"
                + " queue: '" + queue + "'}, chordError: 'continue'}}).then(g => done(g.id), e => done('refused: ' + e.message));");
        assertTrue(group.matches("[0-9a-f-]{36}"), group);
        // Read in one script each time: the table is drawn anew on every event, so a found element goes stale.
        String groupRow = "#groups tr[data-id='" + group + "']";
        waiting(ops).until(d -> !text(d, groupRow).isEmpty());
        new WebDriverWait(ops, Duration.ofSeconds(60)).pollingEvery(Duration.ofMillis(200)).until(d -> "100".equals(
                ((JavascriptExecutor) d).executeScript("return document.querySelector(arguments[0]).getAttribute('aria-valuenow')",
                        groupRow + " [role=progressbar]")));
        List<?> seen = (List<?>) ((JavascriptExecutor) ops).executeScript("return window.barValues[arguments[0]]", group);
        assertTrue(seen.size() >= 3 && seen.stream().mapToLong(p -> ((Number) p).longValue()).anyMatch(p -> p > 0 && p < 100),
                "the bar moved on as tasks finished, not at once: " + seen);
        waiting(ops).until(d -> text(d, groupRow).contains("20 / 20"));
        // The chord's callback: the sum task's events reach the group's row too.
        waiting(ops).until(d -> text(d, groupRow + " .group-callback").contains("SUCCESS"));
        assertEquals("yes", ((JavascriptExecutor) ops).executeScript("return window.loadedOnce"), "no reload happened");
        screenshot(ops, "dashboard");
    }
}
