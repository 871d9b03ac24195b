package nl.lantaarn.adapters.lighting.internal;

import java.time.Duration;

import org.osgi.service.component.annotations.Component;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.things.model.HubConventions;

/**
 * The {@code lighting} adapter type: street-light controllers that report lamp state and take dimming, scene and power
 * commands over MQTT, each acknowledged. Instances are configured by
 * {@code etc/nl.lantaarn.adapter.lighting~<name>.cfg}; the protocol is in the module's README.
 */
@Component(service = AdapterFactory.class)
public final class LightingAdapterFactory implements AdapterFactory {

    static final String TYPE_ID = "lighting";

    private static final String PROPERTIES = "/features/" + LightingAdapter.FEATURE + "/properties/";

    static final AdapterType TYPE = AdapterType.builder(TYPE_ID)
            .vendor("Street-light controllers (vendor-style JSON over MQTT)")
            .domains(LightingAdapter.DOMAIN)
            .description("Lamps and lamp groups of street-light controllers: dim level, scene, power state and "
                    + "failure as reported by the controller; desired dim level, scene and power are sent to the "
                    + "controller as commands it acknowledges.")
            .privacy(PrivacyManifest.builder()
                    .dataCategories("light-state")
                    .personalData(false)
                    .purpose("Operate and monitor public lighting (dimming, scenes, failures) for safety and energy "
                            + "saving; only the state of lamps is received, nothing about people")
                    .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK)
                    .retention(Duration.ofDays(365))
                    .fields("/attributes/" + HubConventions.ADAPTER, "/attributes/" + LightingAdapter.A_CONTROLLER,
                            "/features/" + LightingAdapter.FEATURE + "/definition",
                            PROPERTIES + LightingAdapter.DIM_LEVEL, PROPERTIES + LightingAdapter.SCENE,
                            PROPERTIES + LightingAdapter.POWER, PROPERTIES + LightingAdapter.FAILURE,
                            PROPERTIES + LightingAdapter.REPORTED_AT,
                            // written by the hub's command path, not by map()
                            PROPERTIES + "commandStatus")
                    .build())
            .build();

    @Override
    public AdapterType type() {
        return TYPE;
    }

    @Override
    public SensorAdapter create(AdapterConfiguration configuration) throws AdapterConfigurationException {
        return new LightingAdapter(LightingConfig.from(configuration), configuration.instanceId());
    }
}
