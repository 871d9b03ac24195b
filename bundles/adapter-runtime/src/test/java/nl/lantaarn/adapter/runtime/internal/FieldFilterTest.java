package nl.lantaarn.adapter.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.Test;

import nl.lantaarn.adapter.api.PrivacyManifest;

class FieldFilterTest {

    private static FieldFilter filter(String... fields) {
        return FieldFilter.of(PrivacyManifest.builder().dataCategories("sound-level").purpose("tests")
                .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK).retention(Duration.ofDays(1)).fields(fields)
                .build());
    }

    @Test
    void aWhollyDeclaredPatchIsReturnedAsItIs() {
        FieldFilter filter = filter("/attributes/adapter", "/features/noise/properties/laeq");
        JsonObject patch = JsonObject.of("{\"attributes\":{\"adapter\":\"a\"},"
                + "\"features\":{\"noise\":{\"properties\":{\"laeq\":61.5}}}}");
        List<String> dropped = new ArrayList<>();

        assertThat(filter.filter(patch, dropped::add)).isSameAs(patch);
        assertThat(dropped).isEmpty();
    }

    @Test
    void undeclaredLeavesAreCutOutAndNamed() {
        FieldFilter filter = filter("/attributes/adapter", "/features/noise/properties/laeq",
                "/features/noise/properties/units");
        JsonObject patch = JsonObject.of("{\"attributes\":{\"adapter\":\"a\",\"owner\":\"J. Jansen\"},"
                + "\"features\":{\"noise\":{\"properties\":{\"laeq\":61.5,\"units\":{\"laeq\":\"dB(A)\"},"
                + "\"audioClip\":\"base64...\"}},\"camera\":{\"properties\":{\"face\":\"x\"}}}}");
        List<String> dropped = new ArrayList<>();

        JsonObject kept = filter.filter(patch, dropped::add);

        assertThat(kept).isEqualTo(JsonObject.of("{\"attributes\":{\"adapter\":\"a\"},"
                + "\"features\":{\"noise\":{\"properties\":{\"laeq\":61.5,\"units\":{\"laeq\":\"dB(A)\"}}}}}"));
        assertThat(dropped).containsExactlyInAnyOrder("/attributes/owner",
                "/features/noise/properties/audioClip", "/features/camera");
    }

    @Test
    void aWildcardMatchesAnyOneKeyAndRemovalsAlwaysPass() {
        FieldFilter filter = filter("/features/*/properties/confidence");
        JsonObject patch = JsonObject.of("{\"features\":{\"gunshot\":{\"properties\":{\"confidence\":0.9,"
                + "\"raw\":[1,2]}},\"glass\":{\"properties\":{\"confidence\":0.2,\"old\":null}}}}");
        List<String> dropped = new ArrayList<>();

        JsonObject kept = filter.filter(patch, dropped::add);

        assertThat(kept).isEqualTo(JsonObject.of("{\"features\":{\"gunshot\":{\"properties\":{\"confidence\":0.9}},"
                + "\"glass\":{\"properties\":{\"confidence\":0.2,\"old\":null}}}}"));
        assertThat(dropped).containsExactly("/features/gunshot/properties/raw");
    }

    @Test
    void anObjectWhereOnlyDeeperFieldsAreDeclaredIsNotTakenWhole() {
        FieldFilter filter = filter("/features/noise/properties/laeq");
        List<String> dropped = new ArrayList<>();

        JsonObject kept = filter.filter(JsonObject.of("{\"features\":{\"noise\":{\"properties\":\"all of it\"}}}"),
                dropped::add);

        assertThat(kept).isEmpty();
        assertThat(dropped).containsExactly("/features/noise/properties");
    }
}
