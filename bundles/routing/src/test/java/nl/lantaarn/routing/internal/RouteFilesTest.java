package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nl.lantaarn.health.api.ComponentHealth;

class RouteFilesTest extends RoutingTestSupport {

    /** Line 8 is indented wrongly. */
    private static final String BROKEN_INDENTATION = """
            - route:
                id: greet
                from:
                  uri: direct:greet
                  steps:
                    - setBody:
                       constant: v2
                   - log: misplaced
                description: test route
                routeProperties:
                  purpose: tests
                  legalBasis: PUBLIC_TASK
                  owner: tests
            """;

    @Test
    void loadsEveryYamlFileAtStartAndTracksRoutesPerFile() throws Exception {
        write("a.yaml", constantRoute("alpha", "A"));
        write("b.yml", constantRoute("beta", "B") + constantRoute("gamma", "G"));
        Files.writeString(routes.resolve("notes.txt"), "not a route file");

        start();

        assertThat(runtime.routeFiles().routeIdsByFile())
                .isEqualTo(Map.of("a.yaml", List.of("alpha"), "b.yml", List.of("beta", "gamma")));
        assertThat(ask("alpha")).isEqualTo("A");
        assertThat(ask("gamma")).isEqualTo("G");
        assertThat(runtime.health().status()).isEqualTo(ComponentHealth.Status.UP);
        assertThat(runtime.health().detail()).contains("3 of 3 routes running", "2 of 2 route files loaded");
    }

    @Test
    void reloadsAChangedFileAndRemovesADeletedOne() throws Exception {
        write("greet.yaml", constantRoute("greet", "v1"));
        write("other.yaml", constantRoute("other", "untouched"));
        start();
        assertThat(ask("greet")).isEqualTo("v1");

        write("greet.yaml", constantRoute("greet", "v2") + constantRoute("greet-too", "new"));
        await().until(() -> runtime.routeFiles().routeIdsByFile().get("greet.yaml").size() == 2);
        assertThat(ask("greet")).isEqualTo("v2");
        assertThat(ask("greet-too")).isEqualTo("new");

        Files.delete(routes.resolve("greet.yaml"));
        await().until(() -> !runtime.routeFiles().routeIdsByFile().containsKey("greet.yaml"));
        assertThat(runtime.context().getRoute("greet")).isNull();
        assertThat(runtime.context().getRoute("greet-too")).isNull();
        assertThat(ask("other")).isEqualTo("untouched");
    }

    @Test
    void refusesABrokenFileWithItsLineAndKeepsThePreviousVersionRunning() throws Exception {
        write("greet.yaml", constantRoute("greet", "v1"));
        start();

        write("greet.yaml", BROKEN_INDENTATION);
        await().until(() -> !runtime.routeFiles().summary().refused().isEmpty());

        RouteFileError error = runtime.routeFiles().summary().refused().get(0);
        assertThat(error.file()).isEqualTo("greet.yaml");
        assertThat(error.line()).isEqualTo(8);
        assertThat(error.reason()).contains("expected <block end>");
        assertThat(ask("greet")).isEqualTo("v1");
        ComponentHealth health = runtime.health();
        assertThat(health.status()).isEqualTo(ComponentHealth.Status.DEGRADED);
        assertThat(health.detail()).contains("greet.yaml line 8");

        write("greet.yaml", constantRoute("greet", "v3"));
        await().until(() -> runtime.routeFiles().summary().refused().isEmpty());
        assertThat(ask("greet")).isEqualTo("v3");
        assertThat(runtime.health().status()).isEqualTo(ComponentHealth.Status.UP);
    }

    @Test
    void refusesUnknownStepsWithTheirLine() {
        write("greet.yaml", constantRoute("greet", "v1"));
        start();

        write("greet.yaml", """
                - route:
                    id: greet
                    from:
                      uri: direct:greet
                      steps:
                        - sendTo: log:x
                    description: test route
                    routeProperties:
                      purpose: tests
                      legalBasis: PUBLIC_TASK
                      owner: tests
                """);
        await().until(() -> !runtime.routeFiles().summary().refused().isEmpty());

        RouteFileError error = runtime.routeFiles().summary().refused().get(0);
        assertThat(error.line()).isEqualTo(6);
        assertThat(error.reason()).contains("sendTo");
        assertThat(ask("greet")).isEqualTo("v1");
    }

    @Test
    void restoresThePreviousVersionWhenTheNewRoutesCannotStart() {
        write("greet.yaml", constantRoute("greet", "v1"));
        start();

        write("greet.yaml", """
                - route:
                    id: greet
                    from:
                      uri: direct:greet
                      steps:
                        - log: about to fail
                        - to: nosuch:endpoint
                    description: test route
                    routeProperties:
                      purpose: tests
                      legalBasis: PUBLIC_TASK
                      owner: tests
                """);
        await().until(() -> !runtime.routeFiles().summary().refused().isEmpty());

        RouteFileError error = runtime.routeFiles().summary().refused().get(0);
        assertThat(error.line()).isEqualTo(7);
        assertThat(error.reason()).contains("nosuch://endpoint");
        assertThat(ask("greet")).isEqualTo("v1");
        assertThat(runtime.routeFiles().routeIdsByFile()).containsEntry("greet.yaml", List.of("greet"));
    }

    @Test
    void refusesABrokenFileAtStartAndRunsTheOthers() {
        write("good.yaml", constantRoute("good", "fine"));
        write("bad.yaml", BROKEN_INDENTATION);

        start();

        assertThat(ask("good")).isEqualTo("fine");
        assertThat(runtime.routeFiles().routeIdsByFile()).containsEntry("bad.yaml", List.of());
        ComponentHealth health = runtime.health();
        assertThat(health.status()).isEqualTo(ComponentHealth.Status.DEGRADED);
        assertThat(health.detail()).contains("1 of 2 route files loaded", "refused: bad.yaml line 8");
    }

    @Test
    void refusesARouteIdThatAnotherFileUses() {
        write("a.yaml", constantRoute("shared", "from a"));
        start();

        write("b.yaml", constantRoute("shared", "from b"));
        await().until(() -> !runtime.routeFiles().summary().refused().isEmpty());

        RouteFileError error = runtime.routeFiles().summary().refused().get(0);
        assertThat(error.file()).isEqualTo("b.yaml");
        assertThat(error.reason()).contains("'shared'", "a.yaml");
        assertThat(ask("shared")).isEqualTo("from a");
    }

    @Test
    void reportsAMissingRoutesDirectoryAndLoadsItOnceCreated() throws Exception {
        start(routes.resolve("later"));
        assertThat(runtime.health().status()).isEqualTo(ComponentHealth.Status.DEGRADED);
        assertThat(runtime.health().detail()).contains("does not exist");

        Files.createDirectories(routes.resolve("later"));
        write("later/late.yaml", constantRoute("late", "here"));
        awaitStarted("late");
        assertThat(ask("late")).isEqualTo("here");
        assertThat(runtime.health().status()).isEqualTo(ComponentHealth.Status.UP);
    }
}
