package ${package}.internal;

import java.nio.file.Path;
import java.util.List;

import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.testkit.AdapterConformanceTest;
import nl.lantaarn.adapter.testkit.Sample;

/** The hub's conformance checks, on the recorded payloads in src/test/resources/samples. */
class ${classPrefix}AdapterConformanceTest extends AdapterConformanceTest {

    @Override
    protected AdapterFactory factory() {
        return new ${classPrefix}AdapterFactory();
    }

    @Override
    protected List<Sample> samples() {
        return Sample.fromFolder(Path.of("src/test/resources/samples"), "*.json", "${adapterId}/s-7");
    }
}
