package nl.lantaarn.adapters.soundevents.internal;

import java.time.Duration;
import java.util.List;

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
 * The {@code sound-events} adapter type: detections of acoustic event sensors (aggression, gunshot, fireworks, glass
 * breaking) as events on safety things. Instances are configured by {@code etc/nl.lantaarn.adapter.sound-events~<name>.cfg}.
 */
@Component(service = AdapterFactory.class)
public final class SoundEventsAdapterFactory implements AdapterFactory {

    static final String TYPE_ID = "sound-events";

    static final AdapterType TYPE = AdapterType.builder(TYPE_ID)
            .vendor("Acoustic event sensors (vendor-neutral JSON)")
            .domains(SoundEventsAdapter.DOMAIN)
            .description("Detections of acoustic event sensors in nightlife and residential streets (aggression, "
                    + "gunshot, fireworks, glass breaking: confidence, peak level, place and time) as events on a "
                    + "safety thing, one feature per event type. Events only: payloads carrying audio, a recording "
                    + "or a link are refused.")
            .privacy(PrivacyManifest.builder()
                    .dataCategories("sound-event", "location")
                    .personalData(false)
                    .purpose("Detect aggression, gunshots, fireworks and breaking glass in public streets so that "
                            + "the municipality, police and emergency services can respond quickly; no audio is "
                            + "received or kept, only the kind of event, its confidence, peak level, place and time")
                    .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK)
                    .retention(Duration.ofDays(30))
                    .fields(fields())
                    .build())
            .build();

    @Override
    public AdapterType type() {
        return TYPE;
    }

    @Override
    public SensorAdapter create(AdapterConfiguration configuration) throws AdapterConfigurationException {
        return new SoundEventsAdapter(SoundEventsConfig.from(configuration));
    }

    private static String[] fields() {
        FieldPaths fields = new FieldPaths().attributes(HubConventions.ADAPTER, HubConventions.LOCATION);
        for (SoundEventType type : SoundEventType.values()) {
            fields.feature(type.feature(), List.of(SoundEventsAdapter.P_CONFIDENCE, SoundEventsAdapter.P_PEAK_LEVEL,
                    SoundEventsAdapter.P_DETECTED_AT, SoundEventsAdapter.P_COUNT, SoundEventsAdapter.P_UNITS));
        }
        return fields.toArray();
    }
}
