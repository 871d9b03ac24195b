package nl.lantaarn.adapters.soundevents.internal;

import java.nio.file.Path;
import java.util.List;

import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.testkit.AdapterConformanceTest;
import nl.lantaarn.adapter.testkit.Sample;

class SoundEventsConformanceTest extends AdapterConformanceTest {

    @Override
    protected AdapterFactory factory() {
        return new SoundEventsAdapterFactory();
    }

    @Override
    protected List<Sample> samples() {
        return Sample.fromFolder(Path.of("src/test/resources/samples"), "*.json", "sound/se-0012/events");
    }
}
