package nl.lantaarn.adapters.citizenreports.internal;

import java.nio.file.Path;
import java.util.regex.Pattern;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.support.ConfigReaders;

/**
 * The settings of one citizen-reports instance, read and checked from its configuration (the README has the table).
 *
 * @param instanceId       the instance id, e.g. {@code citizen-reports} or {@code citizen-reports.eindhoven}
 * @param country          ISO country code, lower case, e.g. {@code nl}
 * @param municipality     municipality in the thing namespace, e.g. {@code eindhoven}
 * @param jurisdictionId   the Open311 {@code jurisdiction_id} this instance answers to
 * @param services         the report categories
 * @param serviceNotice    the {@code service_notice} in the answer to a new Open311 request, where
 *                         {@code {service_request_id}} stands for the new id; may be empty
 * @param pseudonymKeyFile the file with the pseudonym key (absolute)
 */
record CitizenReportsConfig(String instanceId, String country, String municipality, String jurisdictionId,
        ServiceCatalog services, String serviceNotice, Path pseudonymKeyFile) {

    static final String JURISDICTION_ID = "jurisdictionId";
    static final String SERVICE_NOTICE = "serviceNotice";
    static final String DEFAULT_KEY_FILE = "data/secrets/citizen-reports.key";

    private static final Pattern JURISDICTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /**
     * @param home the hub's home folder, against which a relative key file is resolved
     * @throws AdapterConfigurationException naming the first field that is wrong
     */
    static CitizenReportsConfig of(AdapterConfiguration configuration, Path home)
            throws AdapterConfigurationException {
        String country = ConfigReaders.country(configuration);
        String municipality = ConfigReaders.requiredMunicipality(configuration);
        String jurisdiction = configuration.string(JURISDICTION_ID, municipality);
        if (!JURISDICTION.matcher(jurisdiction).matches()) {
            throw new AdapterConfigurationException(JURISDICTION_ID, "must be 1-128 letters, digits, '.', '_' or '-', "
                    + "e.g. eindhoven.nl, was '" + jurisdiction + "'");
        }
        String notice = configuration.string(SERVICE_NOTICE, "");
        if (notice.length() > 1000) {
            throw new AdapterConfigurationException(SERVICE_NOTICE, "must be at most 1000 characters, was "
                    + notice.length());
        }
        Path keyFile = Path.of(configuration.string(PseudonymKey.FIELD, DEFAULT_KEY_FILE));
        if (!keyFile.isAbsolute()) {
            keyFile = home.resolve(keyFile);
        }
        return new CitizenReportsConfig(configuration.instanceId(), country, municipality, jurisdiction,
                ServiceCatalog.of(configuration), notice, keyFile.normalize());
    }

    /** The thing namespace: {@code <country>.<municipality>.citizen}. */
    String namespace() {
        return country + "." + municipality + "." + CitizenReportsAdapter.DOMAIN;
    }

    /**
     * The webhook name: the instance id with dots as dashes ({@code citizen-reports.eindhoven} gives
     * {@code citizen-reports-eindhoven}).
     */
    String webhookName() {
        return instanceId.replace('.', '-');
    }
}
