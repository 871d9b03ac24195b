package nl.lantaarn.adapters.crowd.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.testkit.AdapterConformanceTest;
import nl.lantaarn.adapter.testkit.Sample;

class CrowdConformanceTest extends AdapterConformanceTest {

    private static final Path SAMPLES = Path.of("src/test/resources/samples");

    @Override
    protected AdapterFactory factory() {
        return new CrowdAdapterFactory();
    }

    @Override
    protected List<Sample> samples() {
        List<Sample> samples = new ArrayList<>();
        samples.addAll(Sample.fromFolder(SAMPLES.resolve("counter"), "*.json", "crowd/cc-0007/counts"));
        samples.addAll(Sample.fromFolder(SAMPLES.resolve("fiware"), "*.json*", "crowd/orion/counts"));
        return samples;
    }
}
