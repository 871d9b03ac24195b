package nl.lantaarn.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class FieldPathsTest {

    @Test
    void attributesAndFeaturesBecomePointersInOrder() {
        String[] paths = new FieldPaths()
                .attributes("adapter", "location")
                .feature("crowd", List.of("count", "units"))
                .feature("noise", List.of())
                .toArray();

        assertThat(paths).containsExactly("/attributes/adapter", "/attributes/location", "/features/crowd/definition",
                "/features/crowd/properties/count", "/features/crowd/properties/units", "/features/noise/definition");
    }
}
