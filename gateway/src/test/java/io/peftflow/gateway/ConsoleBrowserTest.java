package io.peftflow.gateway;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipFile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real headless Chromium (Debian's chromium + chromium-driver; scripts/browser.sh installs
 * them) against the gateway and the real services: sign in with a key, upload a file, see the label chart and the
 * rejected line; follow a job on that data live (progress, the loss curve from its SSE stream, base vs tuned
 * metrics); find its adapter version in the registry, promote it and download it. Screenshots of each page land in
 * target/screenshots.
 */
@QuarkusTest
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Path DOWNLOADS = Path.of("target", "downloads").toAbsolutePath();
    /** A job takes seconds; on a busy CI machine much longer. */
    private static final Duration TRAINING = Duration.ofSeconds(180);

    private static WebDriver browser;
    private static WebDriverWait wait;
    private static Path profile;

    @TestHTTPResource("/")
    URL console;

    @BeforeAll
    static void startBrowser() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("Chromium and ChromeDriver are needed at " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": run scripts/browser.sh (./peftflow test does)");
        }
        profile = Files.createTempDirectory("peftflow-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.setExperimentalOption("prefs", Map.of("download.default_directory", DOWNLOADS.toString(),
                "download.prompt_for_download", false));
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        Files.createDirectories(SCREENSHOTS);
        Files.createDirectories(DOWNLOADS);
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void signInUploadSeeTheLabelChartFollowTheJobAndFindItsAdapter() throws Exception {
        String tenant = "web-" + UUID.randomUUID().toString().substring(0, 8);
        Keys.Key key = Keys.create(tenant);

        browser.get(console.toString());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key"))).sendKeys("pfk_wrong");
        browser.findElement(By.cssSelector("#sign-in button")).click();
        wait.until(ExpectedConditions.textToBe(By.id("sign-in-error"), "This key is not valid."));
        browser.findElement(By.id("api-key")).clear();
        browser.findElement(By.id("api-key")).sendKeys(key.secret());
        screenshot("console-sign-in");
        browser.findElement(By.cssSelector("#sign-in button")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("upload")));
        assertTrue(browser.findElement(By.id("who")).getText().contains(tenant));
        // Every API behind this gateway has its page.
        assertFalse(browser.findElements(By.id("nav-jobs")).isEmpty());
        assertFalse(browser.findElements(By.id("nav-adapters")).isEmpty());

        Path file = Files.createTempFile("transactions-", ".jsonl");
        Files.writeString(file, Samples.transactions(120));
        browser.findElement(By.name("name")).sendKeys("transactions");
        browser.findElement(By.name("file")).sendKeys(file.toAbsolutePath().toString());
        new Select(browser.findElement(By.name("balance"))).selectByVisibleText("oversample");
        new Select(browser.findElement(By.name("on_invalid"))).selectByValue("drop");
        browser.findElement(By.cssSelector("#upload button")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("label-chart")));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rejected")));
        @SuppressWarnings("unchecked")
        List<List<Number>> bars = (List<List<Number>>) ((JavascriptExecutor) browser).executeScript(
                "return Chart.getChart('label-chart').data.datasets.map(d => d.data)");
        assertEquals(3, bars.size(), "before, after, validation");
        long before = bars.get(0).stream().mapToLong(Number::longValue).sum();
        long after = bars.get(1).stream().mapToLong(Number::longValue).sum();
        assertTrue(after > before, "oversampling adds train examples: " + bars);
        long maxAfter = bars.get(1).stream().mapToLong(Number::longValue).max().orElseThrow();
        assertEquals(maxAfter, bars.get(1).stream().mapToLong(Number::longValue).min().orElseThrow(), "balanced: " + bars);
        assertTrue(browser.findElement(By.id("rejected")).getText().contains("line 121"));
        assertTrue(browser.findElement(By.id("versions")).getText().contains("ready"));
        screenshot("console-dataset");

        browser.findElement(By.cssSelector("#nav-datasets")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("datasets")));
        assertTrue(browser.findElement(By.id("datasets")).getText().contains("transactions"));
        screenshot("console-datasets");

        // A rejected upload shows its line errors and stores nothing.
        Path bad = Files.createTempFile("bad-", ".jsonl");
        Files.writeString(bad, "{\"instruction\": \"x\", \"output\": \"y\"}\nnot json\n");
        browser.findElement(By.name("name")).sendKeys("broken");
        browser.findElement(By.name("file")).sendKeys(bad.toAbsolutePath().toString());
        browser.findElement(By.cssSelector("#upload button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("upload-status"), "line 2"));
        assertFalse(browser.findElement(By.id("datasets")).getText().contains("broken"));
        Files.delete(file);
        Files.delete(bad);

        String job = followsAJobLive(key);
        findsPromotesAndDownloadsTheAdapter(key, job);
    }

    /** A job on the uploaded data, started over the API: its page shows it as it trains, then its metrics. */
    private String followsAJobLive(Keys.Key key) throws Exception {
        // The worker trains one job at a time: a longer one queued first keeps the followed job queued while its page
        // opens (on a quiet machine the 30-step job alone finished before the browser got there).
        Training.startJob(key, "transactions", "console-queue-holder", 300);
        String job = Training.startJob(key, "transactions", "transactions-lora");
        browser.findElement(By.id("nav-jobs")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.linkText(job))).click();
        String openedAt = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("job-status"))).getText();
        assertTrue(List.of("queued", "running").contains(openedAt), "the page opened while the job ran: " + openedAt);

        // The loss curve grows from the job's SSE stream while it trains; the status turns without a reload.
        new WebDriverWait(browser, TRAINING).until(b -> points() >= 2);
        new WebDriverWait(browser, TRAINING).until(ExpectedConditions.textToBe(By.id("job-status"), "succeeded"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("metrics-table")));
        long progressEvents = given().header("Authorization", key.bearer())
                .when().get("/v1/fine-tuning/jobs/" + job + "/events?order=asc&limit=100")
                .then().statusCode(200).extract().jsonPath().getList("data.type", String.class).stream()
                .filter("training.progress"::equals).count();
        assertEquals(progressEvents, points(), "one point per progress event");
        assertEquals("step 30 / 30", browser.findElement(By.id("job-progress")).getText());
        String majority = given().header("Authorization", key.bearer()).when().get("/v1/fine-tuning/jobs/" + job)
                .then().statusCode(200).extract().path("result.metrics.majority.label");
        String metrics = browser.findElement(By.id("metrics-table")).getText();
        assertTrue(metrics.contains("eval loss") && metrics.toLowerCase().contains("majority class ('" + majority + "')"), metrics);
        List<WebElement> evalLoss = browser.findElements(By.cssSelector("#metrics-table tr:nth-child(2) td"));
        assertTrue(Double.parseDouble(evalLoss.get(2).getText()) < Double.parseDouble(evalLoss.get(1).getText()),
                "the tuned eval loss is below the base's: " + metrics);
        // A tuned model that does not beat the majority class says so on its page (and in its final event).
        JsonPath result = given().header("Authorization", key.bearer()).when().get("/v1/fine-tuning/jobs/" + job)
                .then().statusCode(200).extract().jsonPath();
        if (result.getDouble("result.metrics.tuned.exact_match") <= result.getDouble("result.metrics.majority.exact_match")) {
            assertTrue(browser.findElement(By.id("majority-warning")).getText()
                    .contains("does not beat the majority class"), "the console warns");
        }
        screenshot("console-job");

        browser.findElement(By.id("nav-jobs")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("jobs"), "succeeded"));
        screenshot("console-jobs");
        return job;
    }

    /** The job's adapter as registry-service versioned it: metrics, challenger, then champion; its zip downloads. */
    private void findsPromotesAndDownloadsTheAdapter(Keys.Key key, String job) throws Exception {
        Training.awaitVersion(key, "transactions-lora", 1);
        browser.findElement(By.id("nav-adapters")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.linkText("transactions-lora"))).click();
        WebElement version = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("adapter-v1")));
        String row = version.getText();
        assertTrue(row.contains("ready") && row.contains("challenger") && row.contains("transactions v1") && row.contains("base "), row);
        assertTrue(version.findElement(By.cssSelector("a.job")).getAttribute("href").endsWith("#/jobs/" + job));
        // The tiny model does not beat "always groceries" in 30 steps: the policy keeps it challenger, and says why.
        assertTrue(row.contains("majority-class baseline"), row);

        version.findElement(By.cssSelector("button.promote")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#adapter-v1 .roles"), "champion"));
        given().header("Authorization", key.bearer()).when().get("/v1/adapters/transactions-lora")
                .then().statusCode(200).body("aliases.champion", is(1));
        screenshot("console-registry");

        Path zip = DOWNLOADS.resolve("transactions-lora-v1.zip");
        Files.deleteIfExists(zip);
        browser.findElement(By.cssSelector("#adapter-v1 button.download")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> Files.exists(zip));
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            assertTrue(archive.getEntry("transactions-lora-v1/adapter_config.json") != null, "the PEFT directory is in the zip");
            assertTrue(archive.getEntry("transactions-lora-v1/adapter_model.safetensors") != null);
        }

        browser.findElement(By.id("nav-adapters")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("adapters"), "v1"));
        screenshot("console-adapters");
    }

    private static long points() {
        return ((Number) ((JavascriptExecutor) browser).executeScript(
                "const c = Chart.getChart('loss-chart'); return c ? c.data.datasets[0].data.length : 0")).longValue();
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
