package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.RoutesBuilderLoader;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.routing.api.RouteStatus;

class RouteMetadataTest extends RoutingTestSupport {

    private static final String WITH_METADATA = """
            - route:
                id: greet
                description: answers with a greeting
                routeProperties:
                  purpose: say hello to whoever asks
                  # a comment inside the block
                  legalBasis: PUBLIC_TASK
                  owner: city IT
                  retention: none
                from:
                  uri: direct:greet
                  steps:
                    - setBody:
                        constant: v1
            """;

    @Test
    void routePropertiesBecomeCamelRoutePropertiesAndTheRouteStatus() {
        write("greet.yaml", WITH_METADATA);
        start();

        assertThat(ask("greet")).isEqualTo("v1");
        assertThat(runtime.context().getRoute("greet").getProperties())
                .containsEntry("purpose", "say hello to whoever asks")
                .containsEntry("legalBasis", "PUBLIC_TASK")
                .containsEntry("owner", "city IT")
                .containsEntry("retention", "none");
        RouteStatus status = status("greet");
        assertThat(status.file()).isEqualTo("greet.yaml");
        assertThat(status.state()).isEqualTo("Started");
        assertThat(status.description()).isEqualTo("answers with a greeting");
        assertThat(status.purpose()).isEqualTo("say hello to whoever asks");
        assertThat(status.legalBasis()).isEqualTo("PUBLIC_TASK");
        assertThat(status.owner()).isEqualTo("city IT");
    }

    @Test
    void aRouteWithoutPurposeIsRefusedWithItsLineAndThePreviousVersionKeepsRunning() {
        write("greet.yaml", WITH_METADATA);
        start();

        write("greet.yaml", """
                - route:
                    id: greet
                    description: answers with a greeting
                    routeProperties:
                      legalBasis: PUBLIC_TASK
                      owner: city IT
                    from:
                      uri: direct:greet
                      steps:
                        - setBody:
                            constant: v2
                """);
        await().until(() -> !runtime.routeFiles().summary().refused().isEmpty());

        RouteFileError error = runtime.routeFiles().summary().refused().get(0);
        assertThat(error.file()).isEqualTo("greet.yaml");
        assertThat(error.line()).isEqualTo(4);
        assertThat(error.reason()).contains("no purpose");
        assertThat(ask("greet")).isEqualTo("v1");
        ComponentHealth health = runtime.health();
        assertThat(health.status()).isEqualTo(ComponentHealth.Status.DEGRADED);
        assertThat(health.detail()).contains("greet.yaml line 4", "purpose");
    }

    @Test
    void aRouteWithoutRoutePropertiesIsRefusedAtTheRouteLine() {
        write("greet.yaml", "# two lines of comment\n#\n" + constantRoute("first", "1").replace(METADATA, "")
                + constantRoute("greet", "x").replace(METADATA, "    description: d\n"));
        start();

        RouteFileError error = runtime.routeFiles().summary().refused().get(0);
        assertThat(error.line()).isEqualTo(3);
        assertThat(error.reason()).contains("no description");
        assertThat(runtime.context().getRoutes()).isEmpty();
    }

    @Test
    void aLegalBasisOutsideArticleSixIsRefusedNamingTheGrounds() {
        write("greet.yaml", WITH_METADATA.replace("legalBasis: PUBLIC_TASK", "legalBasis: art. 6(1)(e)"));
        start();

        RouteFileError error = runtime.routeFiles().summary().refused().get(0);
        assertThat(error.line()).isEqualTo(7);
        assertThat(error.reason()).contains("'art. 6(1)(e)'", "PUBLIC_TASK", "LEGITIMATE_INTERESTS", "CONSENT");
        assertThat(runtime.context().getRoutes()).isEmpty();
    }

    @Test
    void aBareFromIsRefusedBecauseItCannotDeclareAPurpose() {
        write("bare.yaml", """
                - from:
                    uri: direct:bare
                    steps:
                      - log: hi
                """);
        start();

        RouteFileError error = runtime.routeFiles().summary().refused().get(0);
        assertThat(error.line()).isEqualTo(1);
        assertThat(error.reason()).contains("no purpose", "- route:");
    }

    @Test
    void camelErrorsAfterTheMetadataKeepTheirLineNumbers() {
        write("greet.yaml", WITH_METADATA);
        start();

        write("greet.yaml", WITH_METADATA.replace("- setBody:\n", "- to: nosuch:endpoint\n        - setBody:\n"));
        await().until(() -> !runtime.routeFiles().summary().refused().isEmpty());

        RouteFileError error = runtime.routeFiles().summary().refused().get(0);
        assertThat(error.line()).isEqualTo(13);
        assertThat(error.reason()).contains("nosuch://endpoint");
        assertThat(ask("greet")).isEqualTo("v1");
    }

    /** Why the hub reads routeProperties itself: Camel 4.14's YAML DSL refuses the key on a route. */
    @Test
    void camelsYamlDslHasNoRoutePropertiesOfItsOwn() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            RoutesBuilderLoader yaml = PluginHelper.getRoutesLoader(context).getRoutesLoader("yaml");
            assertThatThrownBy(() -> context.addRoutes(yaml.loadRoutesBuilder(
                    ResourceHelper.fromString("mem:greet.yaml", WITH_METADATA))))
                    .hasStackTraceContaining("routeProperties");
        }
    }
}
