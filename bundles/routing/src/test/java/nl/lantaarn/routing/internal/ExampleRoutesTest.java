package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every example in the repository's routes/examples loads as it is: YAML, steps, endpoint parameters and the route
 * metadata. What the routes do is tested end to end in the hub (itests, one scenario test per example).
 */
class ExampleRoutesTest extends RoutingTestSupport {

    private static final Path EXAMPLES = Path.of(System.getProperty("basedir", "."))
            .resolve("../../routes/examples").normalize();

    @Test
    void everyExampleLoadsAndStarts() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(EXAMPLES)) {
            files = list.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        }
        assertThat(files).as("examples in %s", EXAMPLES).isNotEmpty();
        for (Path file : files) {
            write(file.getFileName().toString(), Files.readString(file));
        }
        start();
        assertThat(runtime.routeFiles().summary().refused()).as("refused example files").isEmpty();
        assertThat(runtime.routeFiles().routeIdsByFile()).hasSize(files.size());
        assertThat(runtime.context().getRoutes()).isNotEmpty().allSatisfy(route -> {
            assertThat(route.getProperties()).as("metadata of %s", route.getRouteId())
                    .containsKeys("purpose", "legalBasis", "owner", "retention");
            assertThat(route.getDescription()).as("description of %s", route.getRouteId()).isNotBlank();
            assertThat(runtime.context().getRouteController().getRouteStatus(route.getRouteId()).isStarted())
                    .as("%s started", route.getRouteId()).isTrue();
        });
    }
}
