package nl.lantaarn.register.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page as a browser renders it: headless Chromium takes a screenshot (target/register-page-*.png) and dumps the
 * DOM it built, which is checked. Without a browser the test is skipped, unless {@code lantaarn.browser.required} is
 * set (CI sets it), when it fails. The browser is {@code lantaarn.browser} or the first of chromium, chromium-browser,
 * google-chrome on the PATH.
 */
class RegisterPageBrowserTest {

    @TempDir
    Path profile;

    @Test
    void chromiumRendersThePageInDutchAndEnglish() throws Exception {
        Path browser = browser();
        if (browser == null) {
            String message = "No Chromium found (set lantaarn.browser, or install Debian's chromium package)";
            if (Boolean.getBoolean("lantaarn.browser.required")) {
                throw new AssertionError(message + ", and lantaarn.browser.required is set");
            }
            assumeTrue(false, message + ": the browser test is skipped");
        }
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        try (RegisterFixture fixture = new RegisterFixture()) {
            for (String lang : List.of("nl", "en")) {
                String url = fixture.base + "/register/?lang=" + lang;
                Path png = target.resolve("register-page-" + lang + ".png");
                Files.deleteIfExists(png);
                run(browser, profile.resolve(lang), "--screenshot=" + png, "--window-size=1280,1100", url);
                assertThat(png).exists();
                byte[] head = Files.readAllBytes(png);
                assertThat(head).as("a PNG").startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
                assertThat(head.length).as("a picture, not an empty page").isGreaterThan(20_000);

                String dom = run(browser, profile.resolve(lang + "-dom"), "--dump-dom", url);
                Files.writeString(target.resolve("register-page-" + lang + ".html"), dom);
                Document page = Jsoup.parse(dom);
                assertThat(page.select("html").attr("lang")).isEqualTo(lang);
                assertThat(page.select("h1").text()).isEqualTo(lang.equals("nl") ? "Sensorregister" : "Sensor register");
                assertThat(page.select("li.sensor")).hasSize(3);
                assertThat(page.select("li.sensor.inactive").attr("data-thing")).isEqualTo("nl.eindhoven.crowd:counter-3");
                assertThat(page.select("section.area h2").eachText()).containsExactly("Centrum, Strijp (1)",
                        "stratumseind (2)");
                // the escaped script in a goal stayed text: the browser made no script element of it
                assertThat(page.select("script")).isEmpty();
                assertThat(page.text()).contains("<script>alert('x')</script> Luchtkwaliteit meten");
            }
        }
    }

    private static String run(Path browser, Path profile, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
                "--user-data-dir=" + profile));
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile(profile.getParent(), "out", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not finish within 120 s: " + command);
        }
        assertThat(process.exitValue()).as("exit status of " + command).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static Path browser() {
        String configured = System.getProperty("lantaarn.browser");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                Path candidate = Path.of(directory, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
