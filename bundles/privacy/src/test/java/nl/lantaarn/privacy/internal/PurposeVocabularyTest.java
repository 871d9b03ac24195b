package nl.lantaarn.privacy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import nl.lantaarn.health.api.ComponentHealth;

class PurposeVocabularyTest {

    @Test
    void builtInVocabularyWithoutAFile() {
        PurposeVocabulary purposes = new PurposeVocabulary(Map.of("service.pid", PurposeVocabulary.PID));
        assertThat(purposes.all()).containsKeys("public-safety", "crowd-management", "citizen-reports",
                "hub-operations");
        assertThat(purposes.description("public-safety")).get().asString().contains("safety");
        assertThat(purposes.description("marketing")).isEmpty();
        assertThat(purposes.health().status()).isEqualTo(ComponentHealth.Status.UP);
    }

    @Test
    void theFileReplacesTheVocabularyWhileRunningAndBadLinesAreNamed() {
        PurposeVocabulary purposes = new PurposeVocabulary(Map.of());
        purposes.modified(Map.of("service.pid", PurposeVocabulary.PID, "traffic", "Traffic flow and priority",
                "Bad Id", "x", "empty", " ", "osgi.ds.satisfying.condition.target", "(osgi.condition.id=true)"));
        assertThat(purposes.all()).containsOnlyKeys("traffic");
        ComponentHealth health = purposes.health();
        assertThat(health.status()).isEqualTo(ComponentHealth.Status.DEGRADED);
        assertThat(health.detail()).contains("'Bad Id' is not a purpose id").contains("'empty' has no description")
                .doesNotContain("osgi.ds");
    }
}
