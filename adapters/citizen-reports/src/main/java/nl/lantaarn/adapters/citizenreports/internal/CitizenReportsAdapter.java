package nl.lantaarn.adapters.citizenreports.internal;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.things.model.FeatureDefinitions;
import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.things.model.ThingUpdate;

/**
 * One citizen-reports instance: maps Open311 GeoReport v2 request forms ({@code /requests.json}) and Signalen signals
 * ({@code /signalen}) to thing {@code <country>.<municipality>.citizen:report-<id>} with feature {@code report}. The
 * reporter's contact becomes a keyed pseudonym; e-mail addresses and phone numbers are removed from free text.
 * <p>
 * {@link #map} runs on the hub's worker for this instance, one message at a time; {@link #parseOpen311} and
 * {@link #thingId} are also called by the Open311 servlet on HTTP threads and share no mutable state.
 */
final class CitizenReportsAdapter implements SensorAdapter {

    static final String TYPE_ID = "citizen-reports";
    static final String DOMAIN = "citizen";
    static final String FEATURE = "report";
    static final String OPEN311_PATH = "/requests.json";
    static final String SIGNALEN_PATH = "/signalen";
    /** Largest payload mapped: a report's text is at most 4000 characters, so 64 KB leaves room for the rest. */
    static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    /** Attribute and property names of a report thing. */
    static final String CATEGORY = "category";
    static final String CATEGORY_NAME = "categoryName";
    static final String ADDRESS = "address";
    static final String SOURCE = "source";
    static final String REPORTER = "reporter";
    static final String STATUS = "status";
    static final String STATUS_NOTES = "statusNotes";
    static final String DESCRIPTION = "description";
    static final String MEDIA_URL = "mediaUrl";
    static final String EXTERNAL_ID = "externalId";
    static final String REQUESTED_AT = "requestedAt";
    static final String UPDATED_AT = "updatedAt";

    private final CitizenReportsConfig config;
    private final Pseudonymizer pseudonymizer;
    private final ReportIds ids;
    private final ReportInstances instances;

    /** @param instances where the Open311 servlet finds this instance; it leaves them on {@link #close()} */
    CitizenReportsAdapter(CitizenReportsConfig config, Pseudonymizer pseudonymizer, ReportIds ids,
            ReportInstances instances) {
        this.config = config;
        this.pseudonymizer = pseudonymizer;
        this.ids = ids;
        this.instances = instances;
    }

    CitizenReportsConfig config() {
        return config;
    }

    @Override
    public Inbound inbound() {
        return Inbound.webhook(config.webhookName());
    }

    @Override
    public List<ThingUpdate> map(InboundMessage message) throws PayloadRejectedException {
        byte[] payload = message.payload();
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new PayloadRejectedException("payload is " + payload.length + " bytes; a report is at most "
                    + MAX_PAYLOAD_BYTES);
        }
        Report report = isSignalen(message)
                ? SignalenParser.parse(message.payloadAsString(), config.country(), message.receivedAt())
                : parseOpen311(FormBody.parse(payload), message.receivedAt());
        return List.of(update(report));
    }

    /**
     * Reads and checks an Open311 form; the servlet calls this before handing the request to the hub, so that a
     * client's mistake is answered at once and does not become a dead letter.
     */
    Report parseOpen311(Map<String, String> form, Instant receivedAt) throws PayloadRejectedException {
        String jurisdiction = Open311Parser.text(form, Open311Parser.JURISDICTION_ID, 128);
        if (jurisdiction != null && !jurisdiction.equals(config.jurisdictionId())) {
            throw new PayloadRejectedException(Open311Parser.JURISDICTION_ID + ": '" + jurisdiction
                    + "' is not served by this instance, which serves '" + config.jurisdictionId() + "'");
        }
        return Open311Parser.parse(form, config.services(), config.country(), receivedAt);
    }

    /** Which format a message is: the webhook path decides, else its content type, else its first character. */
    private static boolean isSignalen(InboundMessage message) throws PayloadRejectedException {
        String path = message.attribute(InboundMessage.HTTP_PATH);
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            String normalised = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            if (normalised.equals(SIGNALEN_PATH)) {
                return true;
            }
            if (normalised.equals(OPEN311_PATH)) {
                return false;
            }
            throw new PayloadRejectedException("webhook path '" + abbreviate(path) + "' is not handled: POST "
                    + "Signalen signals (JSON) to " + SIGNALEN_PATH + ", Open311 request forms to " + OPEN311_PATH);
        }
        String contentType = message.attribute(InboundMessage.CONTENT_TYPE);
        if (contentType != null) {
            String type = contentType.toLowerCase(Locale.ROOT);
            if (type.startsWith(FormBody.CONTENT_TYPE)) {
                return false;
            }
            if (type.contains("json")) {
                return true;
            }
        }
        for (byte b : message.payload()) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b == '{' || b == '[';
            }
        }
        return false;
    }

    /** The thing update of a report: a new id unless the sender gave one. */
    ThingUpdate update(Report report) throws PayloadRejectedException {
        String id = report.externalId() != null ? report.externalId() : ids.next();
        ThingId thingId = thingId(id).orElseThrow(() -> new PayloadRejectedException(
                "report id '" + abbreviate(id) + "' cannot be part of a thing name"));

        JsonObjectBuilder attributes = JsonObject.newBuilder()
                .set(CATEGORY, report.category())
                .set(HubConventions.ADAPTER, config.instanceId())
                .set(SOURCE, report.source());
        String categoryName = report.categoryName() != null ? report.categoryName()
                : config.services().service(report.category()).map(ServiceCatalog.Service::name).orElse(null);
        setIfPresent(attributes, CATEGORY_NAME, categoryName);
        if (report.latitude() != null) {
            try {
                attributes.set(HubConventions.LOCATION, HubConventions.location(report.latitude(),
                        report.longitude()));
            } catch (IllegalArgumentException e) {
                throw new PayloadRejectedException("location: " + e.getMessage());
            }
        }
        setIfPresent(attributes, ADDRESS, report.address());
        pseudonymizer.pseudonym(report.contact()).ifPresent(pseudonym -> attributes.set(REPORTER, pseudonym));

        JsonObjectBuilder properties = JsonObject.newBuilder();
        setIfPresent(properties, STATUS, report.status());
        setIfPresent(properties, STATUS_NOTES, report.statusNotes());
        setIfPresent(properties, DESCRIPTION, report.description());
        setIfPresent(properties, MEDIA_URL, report.mediaUrl());
        setIfPresent(properties, EXTERNAL_ID, report.externalId());
        properties.set(REQUESTED_AT, report.requestedAt().toString());
        properties.set(UPDATED_AT, report.updatedAt().toString());

        JsonObject feature = JsonObject.newBuilder()
                .set("definition", JsonArray.newBuilder().add(FeatureDefinitions.ISSUE_REPORTING).build())
                .set("properties", properties.build())
                .build();
        JsonObject patch = JsonObject.newBuilder()
                .set("attributes", attributes.build())
                .set("features", JsonObject.newBuilder().set(FEATURE, feature).build())
                .build();
        return ThingUpdate.merge(thingId, patch);
    }

    /** The thing of a report id ({@code service_request_id}), or empty when the id cannot be one. */
    Optional<ThingId> thingId(String reportId) {
        if (reportId == null || !ReportIds.ID.matcher(reportId).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(HubConventions.thingId(config.country(), config.municipality(), DOMAIN,
                    ReportIds.THING_PREFIX + reportId));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The report id ({@code service_request_id}) of one of this instance's things, or empty. */
    Optional<String> reportId(String thingId) {
        String prefix = config.namespace() + ":" + ReportIds.THING_PREFIX;
        if (thingId == null || !thingId.startsWith(prefix) || thingId.length() == prefix.length()) {
            return Optional.empty();
        }
        return Optional.of(thingId.substring(prefix.length()));
    }

    @Override
    public void close() {
        instances.remove(this);
    }

    private static void setIfPresent(JsonObjectBuilder builder, String key, String value) {
        if (value != null) {
            builder.set(key, value);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }

    @Override
    public String toString() {
        return "CitizenReportsAdapter[" + config.instanceId() + ", " + config.namespace() + ", jurisdiction "
                + config.jurisdictionId() + "]";
    }
}
