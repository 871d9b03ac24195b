package nl.lantaarn.adapter.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;

import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.adapter.testkit.internal.ThingChecks;
import nl.lantaarn.things.model.ThingUpdate;

class ThingChecksTest {

    private static final AdapterType TYPE = AdapterType.builder("t").vendor("v").domains("safety").description("d")
            .privacy(PrivacyManifest.builder().dataCategories("c").purpose("p")
                    .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK).retention(Duration.ofDays(1))
                    .fields("/features/*/properties/level", "/attributes/location").build())
            .build();

    private static ThingUpdate update(String id, String patch) {
        return ThingUpdate.merge(ThingId.of(id), JsonObject.of(patch));
    }

    @Test
    void aConformingUpdateHasNoProblems() {
        assertThat(ThingChecks.validate(update("nl.test.safety:a", "{\"attributes\":{\"location\":{\"type\":\"Point\","
                + "\"coordinates\":[5.4,51.4]},\"gone\":null},\"features\":{\"f\":{\"properties\":{\"level\":3}}}}"),
                TYPE)).isEmpty();
    }

    @Test
    void namesEveryProblem() {
        assertThat(ThingChecks.validate(update("demo:a", "{\"attributes\":{\"location\":{\"type\":\"Point\","
                + "\"coordinates\":[5.4,91]},\"vendor\":3},\"thingy\":1,\"features\":{\"f\":{\"properties\":"
                + "{\"level\":1e309}}}}"), TYPE))
                .anyMatch(p -> p.contains("namespace must be <country>.<municipality>.<domain>"))
                .anyMatch(p -> p.contains("top-level field 'thingy'"))
                .anyMatch(p -> p.contains("latitude 91.0 is outside"))
                .anyMatch(p -> p.contains("attributes/vendor: must be a string"))
                .anyMatch(p -> p.contains("/features/f/properties/level: Infinity is not a finite number")
                        || p.contains("is not a finite number"));
    }

    @Test
    void leavesAreListedInDocumentOrderAndCheckedAgainstTheManifest() {
        ThingUpdate update = update("nl.test.safety:a", "{\"attributes\":{\"location\":{\"type\":\"Point\"},"
                + "\"owner\":\"x\",\"empty\":{}},\"features\":{\"f\":{\"properties\":{\"level\":1,\"raw\":[1,2]}}}}");
        assertThat(ThingChecks.leafPointers(update.patch())).containsExactly("/attributes/location/type",
                "/attributes/owner", "/attributes/empty", "/features/f/properties/level", "/features/f/properties/raw");
        assertThat(ThingChecks.undeclared(update, TYPE.privacy())).containsExactly("/attributes/owner",
                "/attributes/empty", "/features/f/properties/raw");
    }
}
