package nl.lantaarn.adapters.demo.crowd.internal;

import java.time.Duration;

import org.osgi.service.component.annotations.Component;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.things.model.HubConventions;

/**
 * The {@code demo-crowd} adapter type: simulated people counters on {@code sim/crowd/+}. The hub runs its
 * {@code default} instance without configuration.
 */
@Component(service = AdapterFactory.class)
public final class CrowdAdapterFactory implements AdapterFactory {

    static final String TYPE_ID = "demo-crowd";

    static final AdapterType TYPE = AdapterType.builder(TYPE_ID)
            .vendor("Lantaarn demo (simulated people counters)")
            .domains("crowd")
            .description("People counts of simulated counters over MQTT, one thing per counter with feature crowd "
                    + "(FIWARE CrowdFlowObserved); counts only")
            .defaultInstance(true)
            .privacy(PrivacyManifest.builder()
                    .dataCategories("people-count")
                    .personalData(false)
                    .purpose("Know how busy a street or square is, to manage crowds (demonstration data); counts "
                            + "only, never identities")
                    .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK)
                    .retention(Duration.ofDays(90))
                    .fields("/attributes/" + HubConventions.ADAPTER,
                            "/features/" + CrowdAdapter.FEATURE + "/definition",
                            "/features/" + CrowdAdapter.FEATURE + "/properties/count",
                            "/features/" + CrowdAdapter.FEATURE + "/properties/measuredAt")
                    .build())
            .build();

    @Override
    public AdapterType type() {
        return TYPE;
    }

    @Override
    public SensorAdapter create(AdapterConfiguration configuration) {
        return new CrowdAdapter(configuration.instanceId(), Inbound.mqtt("sim/crowd/+", 1));
    }
}
