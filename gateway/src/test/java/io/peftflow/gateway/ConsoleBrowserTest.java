package io.peftflow.gateway;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
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
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real headless Chromium (Debian's chromium + chromium-driver; scripts/browser.sh installs
 * them) against the gateway and the real dataset-service: sign in with a key, upload a file, see the label
 * chart and the rejected line. Screenshots of each page land in target/screenshots.
 */
@QuarkusTest
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

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
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        Files.createDirectories(SCREENSHOTS);
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
    void signInUploadAndSeeTheLabelChart() throws Exception {
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
        // Only the APIs that are deployed have a page: no trainer or registry behind this gateway.
        assertTrue(browser.findElements(By.id("nav-jobs")).isEmpty());
        assertTrue(browser.findElements(By.id("nav-adapters")).isEmpty());

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
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
