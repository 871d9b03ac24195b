package nl.lantaarn.adapters.ttn.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.testkit.AdapterConformanceTest;
import nl.lantaarn.adapter.testkit.Sample;

/**
 * The adapter test kit's checks, on the shipped default configuration (plus a mapping for the documentation's example
 * application), with the documented uplink and one simulated uplink of each of the three simulated applications.
 */
class TtnAdapterConformanceTest extends AdapterConformanceTest {

    private static final Path FOLDER = Path.of("src", "test", "resources", "ttn-v3");

    @Override
    protected AdapterFactory factory() {
        return new TtnAdapterFactory();
    }

    @Override
    protected AdapterConfiguration configuration() {
        Map<String, Object> properties = new HashMap<>(TtnSamples.defaultProperties());
        properties.put("mapping.app1.temperature", "environment:weather.temperature:\u00b0C");
        properties.put("mapping.app1.luminosity", "environment:light.luminosity");
        properties.put("location.gateways", "true");
        return new AdapterConfiguration("ttn", "default", properties);
    }

    @Override
    protected List<Sample> samples() {
        return List.of(
                Sample.fromFile(FOLDER.resolve(TtnSamples.DOCS), TtnSamples.DOCS_TOPIC),
                Sample.fromFile(FOLDER.resolve(TtnSamples.SOUND), TtnSamples.SOUND_TOPIC),
                Sample.fromFile(FOLDER.resolve(TtnSamples.PEOPLE), TtnSamples.PEOPLE_TOPIC),
                Sample.fromFile(FOLDER.resolve(TtnSamples.AIR), TtnSamples.AIR_TOPIC));
    }
}
