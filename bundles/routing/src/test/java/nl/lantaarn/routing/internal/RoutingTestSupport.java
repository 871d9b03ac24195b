package nl.lantaarn.routing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.routing.api.RouteStatus;

/** Runs the real routing runtime (Camel context, hub and mqtt components, route files) on a temporary folder. */
abstract class RoutingTestSupport {

    @TempDir
    Path routes;

    final RecordingMqttConnection mqtt = new RecordingMqttConnection();
    RoutingRuntime runtime;
    /** Beans bound in the Camel registry before the routes start (routes refer to them by name). */
    final Map<String, Object> beans = new LinkedHashMap<>();
    private Instant clock = Instant.parse("2026-01-01T00:00:00Z");

    RoutingRuntime start() {
        return start(routes);
    }

    RoutingRuntime start(Path directory) {
        // a short scan interval keeps the hot-reload tests quick; behaviour does not depend on it
        runtime = new RoutingRuntime(new RoutingRuntime.Settings(directory, 50, 1000, 5, "routesDirectory (test)"),
                () -> mqtt, () -> null, RoutingTestSupport.class.getClassLoader());
        beans.forEach(runtime.context().getRegistry()::bind);
        runtime.start();
        return runtime;
    }

    /** With the services hub:alert and hub:command use, and a dead-letter service (either may be null). */
    RoutingRuntime start(HubServices services, DeadLetterService deadLetters) {
        runtime = new RoutingRuntime(new RoutingRuntime.Settings(routes, 50, 1000, 5, "routesDirectory (test)"),
                () -> mqtt, () -> deadLetters, services, RoutingTestSupport.class.getClassLoader());
        beans.forEach(runtime.context().getRegistry()::bind);
        runtime.start();
        return runtime;
    }

    /** The metadata lines every route needs, at route level, for routes written in tests. */
    static final String METADATA = """
                description: test route
                routeProperties:
                  purpose: tests
                  legalBasis: PUBLIC_TASK
                  owner: tests
            """;

    /** The status of one route. */
    RouteStatus status(String routeId) {
        return runtime.routeStatus().stream().filter(s -> s.id().equals(routeId)).findFirst().orElseThrow();
    }

    @AfterEach
    void stopRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    /** Writes a route file and moves its modification time forward, so the change is seen whatever the clock. */
    Path write(String name, String content) {
        try {
            Path file = routes.resolve(name);
            Files.writeString(file, content);
            clock = clock.plusSeconds(1);
            Files.setLastModifiedTime(file, FileTime.from(clock));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20));
    }

    /** A route that answers {@code direct:<id>} with a constant. */
    static String constantRoute(String id, String answer) {
        return """
                - route:
                    id: %s
                    from:
                      uri: direct:%s
                      steps:
                        - setBody:
                            constant: %s
                    description: test route
                    routeProperties:
                      purpose: tests
                      legalBasis: PUBLIC_TASK
                      owner: tests
                """.formatted(id, id, answer);
    }

    String ask(String routeId) {
        return runtime.context().createFluentProducerTemplate().to("direct:" + routeId).request(String.class);
    }

    /** Waits until a route has started: its consumer takes messages only from then on, not when it is merely added. */
    void awaitStarted(String routeId) {
        org.awaitility.Awaitility.await().until(() -> {
            var status = runtime.context().getRouteController().getRouteStatus(routeId);
            return status != null && status.isStarted();
        });
    }
}
