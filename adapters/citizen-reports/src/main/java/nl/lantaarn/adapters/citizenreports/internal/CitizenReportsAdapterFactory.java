package nl.lantaarn.adapters.citizenreports.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.adapter.support.FieldPaths;
import nl.lantaarn.privacy.api.Pseudonyms;
import nl.lantaarn.runtime.api.HubHome;
import nl.lantaarn.things.model.HubConventions;

/**
 * The citizen-reports adapter type: reports about public space from residents, over Open311 GeoReport v2 and a
 * Signalen-compatible webhook. Configured by factory PID {@code nl.lantaarn.adapter.citizen-reports}, e.g.
 * {@code etc/nl.lantaarn.adapter.citizen-reports~default.cfg}.
 */
@Component(service = AdapterFactory.class)
public final class CitizenReportsAdapterFactory implements AdapterFactory {

    private static final Logger LOG = LoggerFactory.getLogger(CitizenReportsAdapterFactory.class);

    static final Duration RETENTION = Duration.ofDays(365);

    static final AdapterType TYPE = AdapterType.builder(CitizenReportsAdapter.TYPE_ID)
            .vendor("Open311 GeoReport v2 and Signalen (city reporting systems)")
            .domains(CitizenReportsAdapter.DOMAIN)
            .description("Reports about public space from residents (broken street lights, litter, loose paving) "
                    + "through the Open311 GeoReport v2 API and a Signalen-compatible webhook; the reporter is "
                    + "pseudonymised and sees status changes through the same API.")
            .privacy(PrivacyManifest.builder()
                    .dataCategories("citizen-report", "location", "free-text", "reporter-pseudonym", "photo-link")
                    .personalData(true)
                    .purpose("Handle residents' reports about the public space and tell the reporter what became of "
                            + "them. The reporter's identity (e-mail address, phone number) is kept only as a keyed "
                            + "pseudonym; names are dropped; e-mail addresses and phone numbers are removed from the "
                            + "description.")
                    .purposes(Pseudonymizer.PURPOSE)
                    .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK)
                    .retention(RETENTION)
                    .fields(new FieldPaths()
                            .attributes(CitizenReportsAdapter.CATEGORY, CitizenReportsAdapter.CATEGORY_NAME,
                                    HubConventions.LOCATION, CitizenReportsAdapter.ADDRESS, HubConventions.ADAPTER,
                                    CitizenReportsAdapter.SOURCE, CitizenReportsAdapter.REPORTER)
                            .feature(CitizenReportsAdapter.FEATURE, List.of(CitizenReportsAdapter.STATUS,
                                    CitizenReportsAdapter.STATUS_NOTES, CitizenReportsAdapter.DESCRIPTION,
                                    CitizenReportsAdapter.MEDIA_URL, CitizenReportsAdapter.EXTERNAL_ID,
                                    CitizenReportsAdapter.REQUESTED_AT, CitizenReportsAdapter.UPDATED_AT))
                            .toArray())
                    .build())
            .build();

    private final Path home;
    private final ReportInstances instances;
    /** The hub's pseudonyms; optional so the adapter also runs on a hub without the privacy bundle (own key). */
    private volatile Pseudonyms pseudonyms;

    @Activate
    public CitizenReportsAdapterFactory(BundleContext context,
            @Reference(name = "instances") ReportInstances instances) {
        this(HubHome.of(context), instances);
    }

    CitizenReportsAdapterFactory(Path home, ReportInstances instances) {
        this.home = home;
        this.instances = instances;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setPseudonyms(Pseudonyms service) {
        pseudonyms = service;
    }

    void unsetPseudonyms(Pseudonyms service) {
        if (pseudonyms == service) {
            pseudonyms = null;
        }
    }

    @Override
    public AdapterType type() {
        return TYPE;
    }

    @Override
    public SensorAdapter create(AdapterConfiguration configuration) throws AdapterConfigurationException {
        CitizenReportsConfig config = CitizenReportsConfig.of(configuration, home);
        if (config.webhookName().length() > 63) {
            throw new AdapterConfigurationException("instance name", "'" + configuration.name() + "' makes webhook "
                    + "name " + config.webhookName() + " longer than 63 characters; use a shorter configuration "
                    + "file name");
        }
        Pseudonyms hub = pseudonyms;
        Pseudonymizer pseudonymizer;
        if (hub != null) {
            pseudonymizer = new Pseudonymizer(hub);
        } else {
            byte[] key = PseudonymKey.loadOrCreate(config.pseudonymKeyFile());
            try {
                pseudonymizer = new Pseudonymizer(key);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        CitizenReportsAdapter adapter = new CitizenReportsAdapter(config, pseudonymizer,
                new ReportIds(Clock.systemUTC()), instances);
        instances.add(adapter);
        LOG.debug("Citizen-reports instance {}: namespace {}, jurisdiction {}, {} services, webhook /ingest/{}",
                config.instanceId(), config.namespace(), config.jurisdictionId(), config.services().services().size(),
                config.webhookName());
        return adapter;
    }
}
