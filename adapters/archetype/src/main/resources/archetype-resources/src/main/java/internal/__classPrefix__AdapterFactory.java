package ${package}.internal;

import java.time.Duration;

import org.osgi.service.component.annotations.Component;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.adapter.api.SensorAdapter;

/**
 * The {@code ${adapterId}} adapter type. The hub runs an instance named {@code default} with the defaults below until
 * a file {@code etc/nl.lantaarn.adapter.${adapterId}~<name>.cfg} configures one:
 * <ul>
 * <li>{@code topic}: MQTT topic filter of the readings, default {@code ${adapterId}/+};</li>
 * <li>{@code country}, {@code municipality}: the first two parts of the things' namespace, default {@code nl} and
 * {@code demo}.</li>
 * </ul>
 */
@Component(service = AdapterFactory.class)
public final class ${classPrefix}AdapterFactory implements AdapterFactory {

    static final String TYPE_ID = "${adapterId}";

    static final AdapterType TYPE = AdapterType.builder(TYPE_ID)
            .vendor("${vendor}")
            .domains(${classPrefix}Adapter.DOMAIN)
            .description("${vendor} readings over MQTT: one thing per sensor with feature '"
                    + ${classPrefix}Adapter.FEATURE + "'")
            .defaultInstance(true)
            // Review every line with the municipality's privacy officer before deploying.
            .privacy(PrivacyManifest.builder()
                    .dataCategories("measurement", "location")
                    .personalData(false)
                    .purpose("Show the readings of ${vendor} sensors in public space on the city's dashboards")
                    .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK)
                    .retention(Duration.ofDays(30))
                    .fields(${classPrefix}Adapter.FIELDS.toArray(String[]::new))
                    .build())
            .build();

    @Override
    public AdapterType type() {
        return TYPE;
    }

    @Override
    public SensorAdapter create(AdapterConfiguration configuration) throws AdapterConfigurationException {
        String topic = configuration.string("topic", TYPE_ID + "/+");
        String country = configuration.string("country", "nl");
        String municipality = configuration.string("municipality", "demo");
        if (!country.matches("[a-z]{2}")) {
            throw new AdapterConfigurationException("country", "must be a two-letter country code in lower case, "
                    + "e.g. nl, was '" + country + "'");
        }
        if (!municipality.matches("[a-z0-9-]+")) {
            throw new AdapterConfigurationException("municipality", "must be lower-case letters, digits and dashes, "
                    + "e.g. eindhoven, was '" + municipality + "'");
        }
        return new ${classPrefix}Adapter(topic, country + "." + municipality + "." + ${classPrefix}Adapter.DOMAIN);
    }
}
