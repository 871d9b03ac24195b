package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.Test;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.audit.api.AuditEntry;
import nl.lantaarn.audit.api.AuditKind;
import nl.lantaarn.health.api.ComponentHealth;

/**
 * Purpose binding of routes on the real routing runtime: the function-creep guard refuses a route file whose purpose
 * the source's manifest does not allow (the previous version keeps running), personal data reaches only routes whose
 * purpose is allowed (also for an adapter that arrives after the route was loaded), and a delivery of personal data is
 * audited.
 */
class RoutePurposeTest extends RoutingTestSupport {

    static final PrivacyManifest REPORTS = PrivacyManifest.builder()
            .dataCategories("citizen-report", "reporter-pseudonym").personalData(true)
            .purpose("Handle residents' reports").purposes("citizen-reports")
            .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK).retention(Duration.ofDays(365))
            .fields("/attributes/adapter", "/attributes/reporter", "/features/report").build();
    static final PrivacyManifest NOISE = PrivacyManifest.builder()
            .dataCategories("sound-level").personalData(false).purpose("Noise levels")
            .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK).retention(Duration.ofDays(30))
            .fields("/attributes/adapter", "/features/noise").build();

    static final ThingId REPORT = ThingId.of("nl.eindhoven.citizen:report-01");

    private final RoutePurposes purposes = new RoutePurposes();
    private final List<AuditEntry> audited = new CopyOnWriteArrayList<>();

    static AdapterFactory factory(String id, String domain, PrivacyManifest manifest) {
        AdapterType type = AdapterType.builder(id).vendor("test").domains(domain).description("test adapter")
                .privacy(manifest).build();
        return new AdapterFactory() {
            @Override
            public AdapterType type() {
                return type;
            }

            @Override
            public SensorAdapter create(AdapterConfiguration configuration) {
                throw new UnsupportedOperationException("not in this test");
            }
        };
    }

    static String route(String id, String filter, String purposeId) {
        return """
                - route:
                    id: %1$s
                    description: test route
                    routeProperties:
                      purpose: tests
                      legalBasis: PUBLIC_TASK
                      owner: tests
                %3$s
                    from:
                      uri: "hub:events%2$s"
                      steps:
                        - setBody:
                            simple: "${header.LantaarnThingId}"
                        - to: mqtt:test/%1$s
                """.formatted(id, filter, purposeId == null ? "" : "      purposeId: " + purposeId);
    }

    private void startWithPurposes() {
        purposes.setAudit(audited::add);
        start(new HubServices(() -> null, () -> null, () -> null, Clock.systemUTC(), new RouteCounters(), purposes),
                null);
    }

    static Thing report(long revision) {
        return ThingsModelFactory.newThingBuilder().setId(REPORT)
                .setAttribute(JsonPointer.of("adapter"), JsonValue.of("citizen-reports"))
                .setAttribute(JsonPointer.of("reporter"), JsonValue.of("5f2c0d9e8a7b6c5d4e3f2a1b0c9d8e7f"))
                .setFeatureProperty("report", JsonPointer.of("status"), JsonValue.of("open"))
                .setRevision(revision).build();
    }

    static Thing noise(long revision) {
        return TestThings.noiseThing(TestThings.POLE, 72.0, revision).setAttribute(JsonPointer.of("adapter"),
                JsonValue.of("demo-noise"));
    }

    private List<String> published(String topic) {
        return mqtt.published.stream().filter(p -> p.topic().equals(topic))
                .map(p -> new String(p.payload(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void aRouteFileWhosePurposeTheSourceDoesNotAllowIsRefusedAndThePreviousVersionKeepsRunning() {
        purposes.addFactory(factory("citizen-reports", "citizen", REPORTS));
        purposes.addFactory(factory("demo-noise", "safety", NOISE));
        write("reports.yaml", route("reports", "?domain=citizen", "citizen-reports"));
        startWithPurposes();
        awaitStarted("reports");
        assertThat(runtime.routeFiles().summary().refused()).isEmpty();

        // function creep: the same data for another purpose
        write("reports.yaml", route("reports", "?domain=citizen", "public-safety"));
        await().until(() -> !runtime.routeFiles().summary().refused().isEmpty());
        RouteFileError error = runtime.routeFiles().summary().refused().get(0);
        assertThat(error.file()).isEqualTo("reports.yaml");
        assertThat(error.line()).isPositive();
        assertThat(error.reason()).contains("'reports'", "citizen-reports", "'public-safety'", "purposeId");
        assertThat(runtime.health().status()).isEqualTo(ComponentHealth.Status.DEGRADED);
        // the previous version, with its allowed purpose, still runs and still receives the reports
        runtime.onTwinEvent(TestThings.created(report(1)));
        await().until(() -> published("test/reports").size() == 1);

        // without a purposeId, and without filters that exclude the personal source: refused too
        write("all.yaml", route("all", "", null));
        await().until(() -> runtime.routeFiles().summary().refused().size() == 2);
        assertThat(runtime.routeFiles().summary().refused()).anySatisfy(refused -> assertThat(refused.reason())
                .contains("'all'", "not set", "citizen-reports"));
        assertThat(runtime.context().getRoute("all")).isNull();

        // filters that leave only data that is not personal need no purposeId
        write("noise.yaml", route("noise", "?feature=noise", null));
        write("safety.yaml", route("safety", "?domain=safety", null));
        awaitStarted("noise");
        awaitStarted("safety");
    }

    @Test
    void personalDataReachesOnlyRoutesWhosePurposeIsAllowedAndItsDeliveryIsAudited() {
        // loaded while the citizen-reports adapter is not installed: the guard at load cannot know the source
        write("routes.yaml", route("safety", "?feature=report", "public-safety")
                + route("reports", "?feature=report", "citizen-reports"));
        startWithPurposes();
        awaitStarted("safety");
        awaitStarted("reports");
        purposes.addFactory(factory("citizen-reports", "citizen", REPORTS));

        runtime.onTwinEvent(TestThings.created(report(1)));
        runtime.onTwinEvent(TestThings.merged(report(2), "/features/report/properties/status", JsonValue.of("open")));
        await().until(() -> published("test/reports").size() == 2);
        assertThat(published("test/safety")).isEmpty();

        List<AuditEntry> refusals = audited.stream().filter(e -> e.kind() == AuditKind.PURPOSE_REFUSED).toList();
        assertThat(refusals).singleElement().satisfies(entry -> {
            assertThat(entry.actor()).isEqualTo("route:safety");
            assertThat(entry.purpose()).isEqualTo("public-safety");
            assertThat(entry.thingId()).isEqualTo(REPORT.toString());
            assertThat(entry.detail()).contains("citizen-reports").doesNotContain("5f2c0d9e");
        });
        await().until(() -> audited.stream().filter(e -> e.kind() == AuditKind.PERSONAL_DATA_DELIVERY).count() == 2);
        assertThat(audited.stream().filter(e -> e.kind() == AuditKind.PERSONAL_DATA_DELIVERY)).allSatisfy(entry -> {
            assertThat(entry.actor()).isEqualTo("route:reports");
            assertThat(entry.purpose()).isEqualTo("citizen-reports");
            assertThat(entry.resource()).contains("mqtt").contains("test/reports");
            assertThat(entry.thingId()).isEqualTo(REPORT.toString());
        });

        // data that is not personal goes to every route and is not audited as a delivery of personal data
        write("noise.yaml", route("noise", "?feature=noise", null));
        awaitStarted("noise");
        runtime.onTwinEvent(TestThings.created(noise(1)));
        await().until(() -> published("test/noise").size() == 1);
        assertThat(audited.stream().filter(e -> e.kind() == AuditKind.PERSONAL_DATA_DELIVERY)).hasSize(2);
    }

    @Test
    void aPurposeIdThatIsNotAnIdIsRefusedWithItsLine() {
        write("bad.yaml", route("bad", "?feature=noise", "\"Public Safety\""));
        startWithPurposes();
        await().until(() -> !runtime.routeFiles().summary().refused().isEmpty());
        assertThat(runtime.routeFiles().summary().refused().get(0).reason()).contains("purposeId 'Public Safety'",
                "is not a purpose id");
    }
}
