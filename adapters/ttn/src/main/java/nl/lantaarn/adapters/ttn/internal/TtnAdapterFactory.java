package nl.lantaarn.adapters.ttn.internal;

import java.time.Duration;

import org.osgi.service.component.annotations.Component;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.adapter.api.SensorAdapter;

/**
 * The TTN adapter type: uplinks of The Things Network / The Things Stack v3 over MQTT, mapped to things by a
 * per-application mapping in each instance's configuration ({@code etc/nl.lantaarn.adapter.ttn~<name>.cfg}).
 */
@Component(service = AdapterFactory.class)
public final class TtnAdapterFactory implements AdapterFactory {

    static final String ID = "ttn";

    static final AdapterType TYPE = AdapterType.builder(ID)
            .vendor("The Things Industries")
            .domains("environment", "crowd", "safety", "traffic")
            .description("LoRaWAN sensors on The Things Network or The Things Stack v3 (sound-level meters, people "
                    + "counters, air-quality and parking sensors, ...): uplinks over MQTT (v3/<application>@<tenant>/devices/"
                    + "<device>/up), their decoded_payload fields mapped to feature properties per application")
            .privacy(PrivacyManifest.builder()
                    .dataCategories("sound-level", "people-count", "air-quality", "parking-occupancy",
                            "device-location")
                    .personalData(false)
                    .purpose("Measure sound levels, the number of people passing, air quality and parking "
                            + "occupancy in public space, so that the municipality can keep it safe and healthy and "
                            + "act on nuisance and crowding; sensors send levels and counts only, never audio, images "
                            + "or identities")
                    .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK)
                    .retention(Duration.ofDays(90))
                    // feature properties are those the operator maps in the configuration
                    .fields("/attributes/adapter", "/attributes/location", "/attributes/vendor",
                            "/attributes/model", "/attributes/" + TtnAdapter.SIMULATED,
                            "/attributes/" + TtnAdapter.LORAWAN, "/features/*/definition",
                            "/features/*/properties")
                    .build())
            .build();

    @Override
    public AdapterType type() {
        return TYPE;
    }

    @Override
    public SensorAdapter create(AdapterConfiguration configuration) throws AdapterConfigurationException {
        return new TtnAdapter(ID, TtnConfig.from(configuration, TYPE.factoryPid(), TYPE.domains()));
    }
}
