package nl.lantaarn.adapters.lighting.internal;

import java.nio.file.Path;
import java.util.List;

import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.testkit.AdapterConformanceTest;
import nl.lantaarn.adapter.testkit.Sample;

class LightingConformanceTest extends AdapterConformanceTest {

    @Override
    protected AdapterFactory factory() {
        return new LightingAdapterFactory();
    }

    @Override
    protected List<Sample> samples() {
        return Sample.fromFolder(Path.of("src/test/resources/samples"), "*.json", "lighting/ctl_7/lamp/l-0042/state");
    }
}
