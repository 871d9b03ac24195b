package nl.lantaarn.adapters.crowd.internal;

import java.time.Duration;

import org.osgi.service.component.annotations.Component;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.adapter.support.FieldPaths;
import nl.lantaarn.things.model.HubConventions;

/**
 * The {@code crowd} adapter type: people counts, densities and flows from camera, wifi and radar counters, counts only.
 * Instances are configured by {@code etc/nl.lantaarn.adapter.crowd~<name>.cfg}.
 */
@Component(service = AdapterFactory.class)
public final class CrowdAdapterFactory implements AdapterFactory {

    static final String TYPE_ID = "crowd";

    static final AdapterType TYPE = AdapterType.builder(TYPE_ID)
            .vendor("People counters: camera, wifi, radar (counter JSON, FIWARE CrowdFlowObserved)")
            .domains(CrowdAdapter.DOMAIN)
            .description("People counts, densities per m² and flow directions from camera, wifi and radar counters, "
                    + "with the 1.5 m distancing risk (safe, low, high), as feature crowd (FIWARE CrowdFlowObserved). "
                    + "Counts only: payloads carrying a MAC address, track id, face or plate are refused.")
            .privacy(PrivacyManifest.builder()
                    .dataCategories("people-count", "crowd-density", "location")
                    .personalData(false)
                    .purpose("Know how busy streets and squares are (counts, density, flow and the 1.5 m distancing "
                            + "risk) to manage crowds and keep visitors safe; counts only, no device or person "
                            + "identifiers are received or kept")
                    .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK)
                    .retention(Duration.ofDays(365))
                    .fields(new FieldPaths()
                            .attributes(HubConventions.ADAPTER, HubConventions.LOCATION,
                                    CrowdAdapter.ATTRIBUTE_TECHNOLOGY)
                            .feature(CrowdAdapter.FEATURE, CrowdAdapter.PROPERTIES)
                            .toArray())
                    .build())
            .build();

    @Override
    public AdapterType type() {
        return TYPE;
    }

    @Override
    public SensorAdapter create(AdapterConfiguration configuration) throws AdapterConfigurationException {
        return new CrowdAdapter(CrowdConfig.from(configuration));
    }
}
