package nl.lantaarn.adapters.demo.noise.internal;

import java.time.Duration;

import org.osgi.service.component.annotations.Component;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.things.model.HubConventions;

/**
 * The {@code demo-noise} adapter type: simulated sound-level sensors. The hub runs its {@code default} instance
 * without any configuration; a file {@code etc/nl.lantaarn.adapter.demo-noise~<name>.cfg} configures more, with one
 * optional setting: {@code topic}, the MQTT topic filter (default {@code sim/noise/+}).
 */
@Component(service = AdapterFactory.class)
public final class NoiseAdapterFactory implements AdapterFactory {

    static final String TYPE_ID = "demo-noise";
    static final String DEFAULT_TOPIC = "sim/noise/+";

    static final AdapterType TYPE = AdapterType.builder(TYPE_ID)
            .vendor("Lantaarn demo (simulated sound-level sensors)")
            .domains("safety")
            .description("Sound levels (LAeq, dB(A)) of simulated sensors over MQTT, one thing per sensor with "
                    + "feature noise (FIWARE NoiseLevelObserved); the sample to start an adapter from")
            .defaultInstance(true)
            .privacy(PrivacyManifest.builder()
                    .dataCategories("sound-level", "location")
                    .personalData(false)
                    .purpose("Show sound levels in public space and alert on loud moments, to prevent escalation "
                            + "(demonstration data); levels only, no audio is recorded")
                    .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK)
                    .retention(Duration.ofDays(30))
                    .fields("/attributes/" + HubConventions.ADAPTER, "/attributes/" + HubConventions.LOCATION,
                            "/features/" + NoiseAdapter.FEATURE + "/definition",
                            "/features/" + NoiseAdapter.FEATURE + "/properties/laeq",
                            "/features/" + NoiseAdapter.FEATURE + "/properties/measuredAt",
                            "/features/" + NoiseAdapter.FEATURE + "/properties/units")
                    .build())
            .build();

    @Override
    public AdapterType type() {
        return TYPE;
    }

    @Override
    public SensorAdapter create(AdapterConfiguration configuration) throws AdapterConfigurationException {
        String topic = configuration.string("topic", DEFAULT_TOPIC);
        String[] levels = topic.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            boolean wildcard = levels[i].contains("+") || levels[i].contains("#");
            if (wildcard && !levels[i].equals("+") && !(levels[i].equals("#") && i == levels.length - 1)) {
                throw new AdapterConfigurationException("topic", "must be an MQTT topic filter with '+' for a whole "
                        + "level and '#' only as the last level, e.g. " + DEFAULT_TOPIC + ", was '" + topic + "'");
            }
        }
        return new NoiseAdapter(configuration.instanceId(), Inbound.mqtt(topic, 1));
    }
}
