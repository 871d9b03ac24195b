package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.routing.api.RouteStatus;

/** Routes other bundles contribute as RouteBuilder services, in the real runtime next to route files. */
class RouteBuildersTest extends RoutingTestSupport {

    private static final String BUNDLE = "nl.example.routes";

    /** A builder of one route {@code direct:<id>} answering {@code answer}, with the metadata every route needs. */
    static RouteBuilder answering(String id, String answer) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + id).routeId(id)
                        .description("answers " + answer)
                        .routeProperty("purpose", "tests")
                        .routeProperty("legalBasis", "PUBLIC_TASK")
                        .routeProperty("owner", "tests")
                        .routeProperty("retention", "none")
                        .setBody(constant(answer));
            }
        };
    }

    @Test
    void aBuildersRoutesRunWithTheirMetadataAndGoWhenItsServiceGoes() {
        write("file.yaml", constantRoute("from-file", "file"));
        start();

        assertThat(runtime.addBuilder(7L, BUNDLE, answering("from-java", "java"))).isTrue();

        assertThat(ask("from-java")).isEqualTo("java");
        assertThat(ask("from-file")).isEqualTo("file");
        RouteStatus status = status("from-java");
        assertThat(status.file()).isEqualTo("bundle:" + BUNDLE);
        assertThat(status.state()).isEqualTo("Started");
        assertThat(status.description()).isEqualTo("answers java");
        assertThat(status.purpose()).isEqualTo("tests");
        assertThat(status.legalBasis()).isEqualTo("PUBLIC_TASK");
        assertThat(status.owner()).isEqualTo("tests");
        assertThat(status.in()).isEqualTo(1);
        assertThat(status("from-file").file()).isEqualTo("file.yaml");
        ComponentHealth health = runtime.health();
        assertThat(health.status()).isEqualTo(ComponentHealth.Status.UP);
        assertThat(health.detail()).contains("2 of 2 routes running").contains("1 of 1 route builders of bundles "
                + "loaded");

        runtime.removeBuilder(7L);

        assertThat(runtime.context().getRoute("from-java")).isNull();
        assertThat(runtime.routeStatus()).extracting(RouteStatus::id).containsExactly("from-file");
        assertThat(runtime.health().detail()).doesNotContain("route builders");
        // the same id can be used again once the builder is gone
        assertThat(runtime.addBuilder(8L, BUNDLE, answering("from-java", "again"))).isTrue();
        assertThat(ask("from-java")).isEqualTo("again");
    }

    @Test
    void aBuilderWithARouteWithoutMetadataIsRefusedAsAWhole() {
        start();
        RouteBuilder builder = new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:good").routeId("good").description("fine")
                        .routeProperty("purpose", "tests").routeProperty("legalBasis", "PUBLIC_TASK")
                        .routeProperty("owner", "tests")
                        .setBody(constant("good"));
                from("direct:no-owner").routeId("no-owner").description("no owner")
                        .routeProperty("purpose", "tests").routeProperty("legalBasis", "PUBLIC_TASK")
                        .setBody(constant("bad"));
            }
        };

        assertThat(runtime.addBuilder(1L, "nl.example.bad", builder)).isFalse();

        assertThat(runtime.context().getRoute("good")).isNull();
        assertThat(runtime.context().getRoute("no-owner")).isNull();
        assertThat(runtime.context().getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class)
                .getRouteDefinitions()).isEmpty();
        assertThat(runtime.routeStatus()).isEmpty();
        ComponentHealth health = runtime.health();
        assertThat(health.status()).isEqualTo(ComponentHealth.Status.DEGRADED);
        assertThat(health.detail()).contains("0 of 1 route builders of bundles loaded")
                .contains("refused: bundle:nl.example.bad: route 'no-owner' has no valid metadata: it has no owner");

        // gone with its service: no longer reported
        runtime.removeBuilder(1L);
        assertThat(runtime.health().status()).isEqualTo(ComponentHealth.Status.UP);
    }

    @Test
    void missingDescriptionOrAWrongLegalBasisIsNamed() {
        start();
        RouteBuilder noDescription = new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:x").routeId("x").routeProperty("purpose", "p").routeProperty("legalBasis", "CONSENT")
                        .routeProperty("owner", "o").log("x");
            }
        };
        RouteBuilder wrongBasis = new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:y").routeId("y").description("d").routeProperty("purpose", "p")
                        .routeProperty("legalBasis", "BECAUSE").routeProperty("owner", "o").log("y");
            }
        };
        RouteBuilder noId = new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:z").description("d").routeProperty("purpose", "p")
                        .routeProperty("legalBasis", "CONSENT").routeProperty("owner", "o").log("z");
            }
        };

        assertThat(runtime.addBuilder(1L, "a", noDescription)).isFalse();
        assertThat(runtime.addBuilder(2L, "b", wrongBasis)).isFalse();
        assertThat(runtime.addBuilder(3L, "c", noId)).isFalse();

        assertThat(runtime.health().detail())
                .contains("bundle:a: route 'x' has no valid metadata: it has no description")
                .contains("bundle:b: route 'y' has no valid metadata: legalBasis 'BECAUSE' is not an AVG article "
                        + "6(1) ground")
                .contains("bundle:c: the route from From[direct:z] has no id");
        assertThat(runtime.context().getRoutes()).isEmpty();
    }

    @Test
    void routeIdsMustNotClashWithRouteFilesEitherWay() {
        write("shared.yaml", constantRoute("shared", "file"));
        start();

        RouteBuilder clashing = new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:own").routeId("own").description("d").routeProperty("purpose", "p")
                        .routeProperty("legalBasis", "CONSENT").routeProperty("owner", "o").setBody(constant("own"));
                from("direct:shared-java").routeId("shared").description("d").routeProperty("purpose", "p")
                        .routeProperty("legalBasis", "CONSENT").routeProperty("owner", "o").setBody(constant("java"));
            }
        };
        assertThat(runtime.addBuilder(1L, BUNDLE, clashing)).isFalse();
        assertThat(runtime.health().detail()).contains("bundle:" + BUNDLE + ": route id 'shared' is already used by "
                + "route file shared.yaml");
        // the file's route runs on, the builder's other route does not
        assertThat(ask("shared")).isEqualTo("file");
        assertThat(runtime.context().getRoute("own")).isNull();
        assertThat(status("shared").file()).isEqualTo("shared.yaml");

        // the other way round: a file that comes later with a builder's route id is refused, naming the bundle
        assertThat(runtime.addBuilder(2L, BUNDLE, answering("java-first", "java"))).isTrue();
        write("later.yaml", constantRoute("java-first", "file"));
        await().until(() -> runtime.health().detail().contains("later.yaml line"));
        assertThat(runtime.health().detail()).contains("route id 'java-first' is already used by bundle:" + BUNDLE);
        assertThat(ask("java-first")).isEqualTo("java");
        assertThat(status("java-first").file()).isEqualTo("bundle:" + BUNDLE);
    }

    @Test
    void aBuildersHubEventsRouteGetsTwinEvents() {
        start();
        RouteBuilder builder = new RouteBuilder() {
            @Override
            public void configure() {
                from("hub:events?feature=noise").routeId("java-noise").description("noise to MQTT")
                        .routeProperty("purpose", "tests").routeProperty("legalBasis", "PUBLIC_TASK")
                        .routeProperty("owner", "tests")
                        .setBody(simple("${header.LantaarnThingId} ${body[features][noise][properties][laeq]}"))
                        .to("mqtt:test/java");
            }
        };
        assertThat(runtime.addBuilder(1L, BUNDLE, builder)).isTrue();
        awaitStarted("java-noise");

        runtime.onTwinEvent(TestThings.created(TestThings.noiseThing(TestThings.POLE, 72.5, 1)));

        await().until(() -> mqtt.published.size() == 1);
        assertThat(mqtt.published.get(0).topic()).isEqualTo("test/java");
        assertThat(new String(mqtt.published.get(0).payload(), StandardCharsets.UTF_8))
                .isEqualTo(TestThings.POLE + " 72.5");
    }

    @Test
    void theSameBuilderRunsAgainInTheNextRuntime() {
        RouteBuilder builder = answering("again", "yes");
        start();
        assertThat(runtime.addBuilder(1L, BUNDLE, builder)).isTrue();
        assertThat(ask("again")).isEqualTo("yes");
        runtime.close();

        // a configuration change makes a new runtime; the service (the same object) is added to it
        start();
        assertThat(runtime.addBuilder(1L, BUNDLE, builder)).isTrue();
        assertThat(ask("again")).isEqualTo("yes");
    }
}
