package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import nl.lantaarn.routing.api.RouteOutline;

/** What {@code RouteAdmin.outlines()} reads from the route model: the input, every output, all route properties. */
class RouteOutlinesTest extends RoutingTestSupport {

    private static final Path EXAMPLES = Path.of(System.getProperty("basedir", "."))
            .resolve("../../routes/examples").normalize();

    @Test
    void everyBranchTheDeadLetterChannelAndDynamicEndpointsAreListedWithSecretsMasked() {
        write("outline.yaml", """
                - route:
                    id: outline
                    description: test route
                    routeProperties:
                      purpose: tests
                      legalBasis: PUBLIC_TASK
                      owner: tests
                      retention: none
                    errorHandler:
                      deadLetterChannel:
                        deadLetterUri: mqtt:lantaarn/dead
                    from:
                      uri: hub:events
                      parameters:
                        feature: noise
                      steps:
                        - choice:
                            when:
                              - simple: "${body[thingId]} == 'a'"
                                steps:
                                  - to: mqtt:lantaarn/first
                              - simple: "${body[thingId]} == 'b'"
                                steps:
                                  - toD: "log:second?password=hunter2"
                            otherwise:
                              steps:
                                - filter:
                                    simple: "${body[thingId]} != null"
                                    steps:
                                      - toD: "mqtt:lantaarn/zone/${header.LantaarnZone}"
                        - to: mqtt:lantaarn/first
                """);
        start();

        List<RouteOutline> outlines = runtime.outlines();

        assertThat(outlines).singleElement().satisfies(outline -> {
            assertThat(outline.id()).isEqualTo("outline");
            assertThat(outline.from()).isEqualTo("hub:events?feature=noise");
            assertThat(outline.to()).containsExactly("mqtt:lantaarn/first", "log:second?password=xxxxxx",
                    "mqtt:lantaarn/zone/${header.LantaarnZone}", "mqtt:lantaarn/dead");
            assertThat(outline.properties()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("purpose", "tests",
                    "legalBasis", "PUBLIC_TASK", "owner", "tests", "retention", "none"));
        });
    }

    @Test
    void theExamplesNameTheirChannelsCommandsAndConfirmations() throws IOException {
        Path file = EXAMPLES.resolve("neighbourhood-watch.yaml");
        write(file.getFileName().toString(), Files.readString(file));
        start();

        List<RouteOutline> outlines = runtime.outlines();

        assertThat(outlines).extracting(RouteOutline::id).containsExactly("lombardijen-movement-light",
                "lombardijen-police-confirmed", "lombardijen-suspicious-sound");
        assertThat(outlines.get(2).to()).hasSize(3).satisfies(to -> {
            assertThat(to.get(0)).startsWith("hub:alert?").contains("channels=buurtpreventie");
            assertThat(to.get(1)).startsWith("hub:command?").contains("feature=lamp");
            assertThat(to.get(2)).startsWith("hub:confirm?").contains("then=direct");
        });
        assertThat(outlines.get(1).from()).isEqualTo("direct:lombardijen-police");
    }
}
