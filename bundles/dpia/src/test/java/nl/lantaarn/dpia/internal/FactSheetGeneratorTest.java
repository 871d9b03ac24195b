package nl.lantaarn.dpia.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import nl.lantaarn.adapter.admin.AdapterState;
import nl.lantaarn.adapter.admin.AdapterStatus;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.dpia.internal.FactSheet.Fact;
import nl.lantaarn.dpia.internal.FactSheet.Sheet;
import nl.lantaarn.notify.api.ChannelStatus;
import nl.lantaarn.routing.api.RouteOutline;
import nl.lantaarn.routing.api.RouteStatus;

/** The facts the generator takes from a manifest and from a route, and how both renderings carry them. */
class FactSheetGeneratorTest {

    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    static final AdapterType SOUND = AdapterType.builder("sound-events").vendor("Acme Acoustics")
            .domains("safety").description("Acoustic event sensors: aggression, glass breaking <b>")
            .privacy(PrivacyManifest.builder().dataCategories("sound-event", "location").personalData(false)
                    .purpose("Detect aggression and breaking glass in public space")
                    .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK).retention(Duration.ofDays(30))
                    .fields("/attributes/location", "/features/aggression/properties",
                            "/features/glassBreaking/properties")
                    .build())
            .build();

    static final AdapterType REPORTS = AdapterType.builder("citizen-reports").vendor("Open311")
            .domains("reports").description("Citizen reports")
            .privacy(PrivacyManifest.builder().dataCategories("report-text", "contact").personalData(true)
                    .purpose("Handle reports about public space").legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK)
                    .retention(Duration.ofDays(365)).fields("/features/report/properties").build())
            .build();

    static AdapterStatus instance(String id, String type, AdapterType adapterType) {
        return new AdapterStatus(id, type, adapterType == null ? null : adapterType.vendor(), Set.of(), null,
                adapterType == null ? AdapterState.WAITING : AdapterState.RUNNING, null, "mqtt:sound/+ (qos 1)",
                adapterType == null ? null : adapterType.privacy(), 0, 0, 0, 0, 0, 0, 100, 0, 0, null);
    }

    static final RouteStatus ROUTE = new RouteStatus("glass-at-night", "glass.yaml", "Started",
            "Glass breaking at night -> lamps bright, neighbourhood watch told", "Prevent burglaries",
            "PUBLIC_TASK", "Municipality, OOV", 0, 0, 0, 0, 0);

    static final RouteOutline OUTLINE = new RouteOutline("glass-at-night",
            "hub:events?domain=safety&feature=glassBreaking",
            List.of("hub:alert?channels=buurtpreventie,police&title=Glass", "hub:command?feature=lamp&nearThing=true"
                    + "&radius=50", "mqtt:lantaarn/alerts/safety", "hub:confirm?action=Police&then=direct:police"),
            Map.of("purpose", "Prevent burglaries", "legalBasis", "PUBLIC_TASK", "owner", "Municipality, OOV",
                    "retention", "none in this route", "reviewed", "2026-10"));

    static FactSheet sheet() {
        return FactSheetGenerator.generate(new FactSheetGenerator.Configuration(List.of(SOUND, REPORTS),
                List.of(instance("sound-events", "sound-events", SOUND), instance("lighting", "lighting", null)),
                List.of(ROUTE), List.of(OUTLINE),
                List.of(new ChannelStatus("buurtpreventie", "webhook", "UP", null, 0, 0, 0, 0))), NOW);
    }

    static List<String> values(Sheet sheet, String label) {
        return sheet.fact(label).map(Fact::values).orElseThrow(() -> new AssertionError("no fact " + label));
    }

    @Test
    void anAdaptersSheetHoldsItsManifest() {
        Sheet sound = sheet().adapters().stream().filter(s -> s.title().equals("Adapter sound-events")).findFirst()
                .orElseThrow();

        assertThat(sound.summary()).startsWith("Acoustic event sensors");
        assertThat(values(sound, FactSheetGenerator.DATA)).containsExactly("/attributes/location",
                "/features/aggression/properties", "/features/glassBreaking/properties");
        assertThat(values(sound, FactSheetGenerator.FEATURES)).containsExactly("aggression", "glassBreaking");
        assertThat(values(sound, FactSheetGenerator.CATEGORIES)).containsExactly("location", "sound-event");
        assertThat(values(sound, FactSheetGenerator.PERSONAL)).singleElement().asString().startsWith("no");
        assertThat(values(sound, FactSheetGenerator.PURPOSES))
                .containsExactly("Detect aggression and breaking glass in public space");
        assertThat(values(sound, FactSheetGenerator.LEGAL_GROUND)).containsExactly("public task (AVG art. 6(1)(e))");
        assertThat(values(sound, FactSheetGenerator.RETENTION)).singleElement().asString().startsWith("30 days");
        assertThat(values(sound, FactSheetGenerator.INSTANCES))
                .containsExactly("sound-events: RUNNING, receives over mqtt:sound/+ (qos 1)");
        assertThat(values(sound, FactSheetGenerator.RECIPIENTS)).contains("route glass-at-night (see its section)");
        assertThat(sound.fact(FactSheetGenerator.PSEUDONYMISATION).orElseThrow().missing())
                .contains("not stated by the manifest");
    }

    @Test
    void anAdapterThatReadsNothingARouteListsIsNotARecipientAndAMissingBundleIsNamed() {
        FactSheet sheet = sheet();
        Sheet reports = sheet.adapters().stream().filter(s -> s.title().equals("Adapter citizen-reports"))
                .findFirst().orElseThrow();
        assertThat(values(reports, FactSheetGenerator.RECIPIENTS)).noneMatch(r -> r.startsWith("route"));
        assertThat(values(reports, FactSheetGenerator.PERSONAL)).singleElement().asString().startsWith("yes");

        Sheet lighting = sheet.adapters().stream().filter(s -> s.title().equals("Adapter lighting")).findFirst()
                .orElseThrow();
        assertThat(lighting.fact(FactSheetGenerator.DATA).orElseThrow().missing()).contains("not present");
        assertThat(sheet.notes()).anyMatch(note -> note.contains("lighting") && note.contains("not present"));
    }

    @Test
    void aRoutesSheetNamesItsSourcesRecipientsRetentionAndOtherProperties() {
        Sheet route = sheet().routes().get(0);

        assertThat(route.title()).isEqualTo("Route glass-at-night");
        assertThat(values(route, FactSheetGenerator.SOURCES)).singleElement().asString()
                .contains("hub:events").contains("domain safety").contains("feature glassBreaking");
        assertThat(values(route, FactSheetGenerator.SOURCE_ADAPTERS)).containsExactly("sound-events (see its section)");
        assertThat(values(route, FactSheetGenerator.CATEGORIES)).containsExactly("location", "sound-event");
        assertThat(values(route, FactSheetGenerator.PERSONAL)).singleElement().asString().startsWith("no");
        assertThat(values(route, FactSheetGenerator.PURPOSES)).containsExactly("Prevent burglaries");
        assertThat(values(route, FactSheetGenerator.LEGAL_GROUND)).containsExactly("public task (AVG art. 6(1)(e))");
        assertThat(values(route, FactSheetGenerator.OWNER)).containsExactly("Municipality, OOV");
        assertThat(values(route, FactSheetGenerator.RETENTION)).containsExactly("none in this route");
        assertThat(values(route, "Route property reviewed")).containsExactly("2026-10");
        List<String> recipients = values(route, FactSheetGenerator.RECIPIENTS);
        assertThat(recipients).hasSize(4);
        assertThat(recipients.get(0)).contains("buurtpreventie (webhook").contains("police (not configured");
        assertThat(recipients.get(1)).contains("desired properties of feature lamp")
                .contains("within 50 m of the event's thing");
        assertThat(recipients.get(2)).startsWith("MQTT topic lantaarn/alerts/safety");
        assertThat(recipients.get(3)).startsWith("an operator").contains("direct:police");
    }

    @Test
    void aRouteWithoutRetentionSaysSoAndRoutesOfADomainOnlyReadItsAdapters() {
        RouteOutline outline = new RouteOutline("r", "hub:events?namespace=nl.city.reports", List.of(),
                Map.of("purpose", "p", "legalBasis", "CONSENT", "owner", "o"));
        RouteStatus status = new RouteStatus("r", "r.yaml", "Started", "d", "p", "CONSENT", "o", 0, 0, 0, 0, 0);
        FactSheet sheet = FactSheetGenerator.generate(new FactSheetGenerator.Configuration(List.of(SOUND, REPORTS),
                List.of(), List.of(status), List.of(outline), null), NOW);
        Sheet route = sheet.routes().get(0);

        assertThat(values(route, FactSheetGenerator.SOURCE_ADAPTERS)).containsExactly(
                "citizen-reports (see its section)");
        assertThat(values(route, FactSheetGenerator.PERSONAL)).singleElement().asString().startsWith("yes")
                .contains("citizen-reports");
        assertThat(values(route, FactSheetGenerator.LEGAL_GROUND)).containsExactly("consent (AVG art. 6(1)(a))");
        assertThat(route.fact(FactSheetGenerator.RETENTION).orElseThrow().missing())
                .contains("add routeProperties.retention");
        assertThat(values(route, FactSheetGenerator.RECIPIENTS)).isEmpty();
        assertThat(sheet.notes()).anyMatch(note -> note.contains("notification service"));
    }

    @Test
    void markdownAndHtmlCarryTheFactsEscaped() {
        FactSheet sheet = sheet();

        String markdown = MarkdownFactSheet.render(sheet);
        assertThat(markdown).startsWith("# DPIA fact sheet\n").contains("### Adapter sound\\-events".replace("\\-", "-"))
                .contains("### Route glass\\-at\\-night".replace("\\-", "-"))
                .contains("- **Legal ground**: public task (AVG art. 6(1)(e))")
                .contains("glass breaking \\<b\\>")
                .contains("not the assessment itself", "2026-11-23 10:00:00 UTC");
        assertThat(markdown).doesNotContain("<b>");

        String html = HtmlFactSheet.render(sheet);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("@media print", "@page")
                .contains("<section class=\"sheet\" id=\"route-glass-at-night\">")
                .contains("glass breaking &lt;b&gt;").contains("Municipality, OOV")
                .doesNotContain("<script", "<b>");
    }
}
