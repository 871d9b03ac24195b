package nl.lantaarn.adapters.citizenreports.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.testkit.AdapterConformanceTest;
import nl.lantaarn.adapter.testkit.Sample;

/** The adapter test kit's checks, on recorded Signalen signals and Open311 request forms. */
class CitizenReportsConformanceTest extends AdapterConformanceTest {

    static final Path RESOURCES = Path.of("src/test/resources");

    @TempDir
    static Path home;

    @Override
    protected AdapterFactory factory() {
        return new CitizenReportsAdapterFactory(home, new ReportInstances());
    }

    @Override
    protected AdapterConfiguration configuration() {
        return new AdapterConfiguration(CitizenReportsAdapter.TYPE_ID, "default", Map.of("municipality", "eindhoven"));
    }

    @Override
    protected List<Sample> samples() {
        return List.of(
                signalen("signalen/post-public-signal-request.json"),
                signalen("signalen/signal-with-status.CONSTRUCTED.json"),
                open311("open311/post-service-request.CONSTRUCTED.form"),
                open311("open311/post-service-request-address-only.CONSTRUCTED.form"));
    }

    private static Sample signalen(String file) {
        Sample read = Sample.fromFile(RESOURCES.resolve(file), "/ingest/citizen-reports/signalen");
        return Sample.of(read.name(), read.origin(), read.payload(), Map.of(InboundMessage.HTTP_METHOD, "POST",
                InboundMessage.HTTP_PATH, "/signalen", InboundMessage.CONTENT_TYPE, "application/json"));
    }

    private static Sample open311(String file) {
        Sample read = Sample.fromFile(RESOURCES.resolve(file), "/ingest/open311/requests.json");
        return Sample.of(read.name(), read.origin(), read.payload(), Map.of(InboundMessage.HTTP_METHOD, "POST",
                InboundMessage.HTTP_PATH, "/requests.json", InboundMessage.CONTENT_TYPE,
                "application/x-www-form-urlencoded"));
    }
}
