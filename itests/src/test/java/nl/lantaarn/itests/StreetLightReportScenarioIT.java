package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Scenario e end to end in the hub: a resident reports a broken street light over Open311; a work order goes to the
 * lighting domain (MQTT) and is recorded on the report; when the failing lamp next to it reports healthy again, the
 * report is closed and the resident sees that over Open311. The example {@code routes/examples/street-light-report.yaml}
 * is added to the running hub; the test plays the resident (Open311 client), the street-light controller and the
 * lighting domain's work-order system (MQTT subscriber).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StreetLightReportScenarioIT extends ScenarioSupport {

    private static final String FILE = "street-light-report";
    private static final String ORDER_ROUTE = "street-light-report-work-order";
    private static final String CLOSE_ROUTE = "street-light-report-closed";
    private static final String WORK_ORDERS = "lantaarn/workorders/lighting";
    private static final String STREET_LIGHTING = "lantaarnpaal-straatverlichting";
    /** The shipped citizen-reports instance is Eindhoven's. */
    private static final String REPORTS = "nl.eindhoven.citizen:report-";

    private static final double LAT = 51.4416;
    private static final double LON = 5.4697;

    private final HttpClient anonymous = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    public void aStreetLightReportBecomesAWorkOrderAndIsClosedWhenTheLampBurnsAgain() {
        // the failing lamp 10 m from where the resident stands, a healthy one 20 m away
        Controller controller = new Controller("ctl_9");
        String broken = controller.lampThing("l-17");
        String healthy = controller.lampThing("l-18");
        controller.report("l-17", "{\"dimLevel\":0,\"power\":\"on\",\"failure\":\"lamp driver does not respond\"}");
        controller.report("l-18", "{\"dimLevel\":60,\"power\":\"on\"}");
        setLocation(broken, LAT + 0.00009, LON);
        setLocation(healthy, LAT - 0.00018, LON);
        mqtt().subscribe(WORK_ORDERS);

        addExampleRoute(FILE);
        awaitRouteStarted(ORDER_ROUTE);
        awaitRouteStarted(CLOSE_ROUTE);

        // another category first: the route sees its events in order, so this one is through when the order arrives
        String litter = report("zwerfafval", "Zakken afval naast de container", "buur@example.nl");
        String id = report(STREET_LIGHTING, "Lamp brandt niet sinds gisteren", "melder@example.nl");
        String thing = REPORTS + id;

        AtomicReference<JsonObject> order = new AtomicReference<>();
        await("a work order on " + WORK_ORDERS).atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            List<MqttTestClient.Message> orders = mqtt().received(WORK_ORDERS);
            assertThat(orders).hasSize(1);
            order.set(JsonFactory.newObject(orders.get(0).payload()));
        });
        JsonObject workOrder = order.get();
        assertThat(text(workOrder, "reportId")).contains(thing);
        assertThat(text(workOrder, "category")).contains(STREET_LIGHTING);
        assertThat(text(workOrder, "description")).contains("Lamp brandt niet sinds gisteren");
        assertThat(text(workOrder, "lamp")).as("the failing lamp near the report").contains(broken);
        assertThat(Hub.at(workOrder, "location/coordinates").map(c -> c.asArray().get(1).orElseThrow().asDouble()))
                .contains(LAT);
        assertThat(workOrder.getKeys()).extracting(Object::toString).as("data minimisation")
                .containsExactlyInAnyOrder("reportId", "category", "description", "address", "location",
                        "requestedAt", "lamp", "sentAt");
        assertThat(workOrder.toString()).doesNotContain("melder").doesNotContain("reporter");

        // recorded on the report; the resident reads that it was passed on (GeoReport knows only open and closed)
        await("the work order recorded on " + thing).atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            JsonObject report = awaitThing(thing);
            assertThat(text(report, "features/report/properties/status")).contains("in_progress");
            assertThat(text(report, "features/report/properties/workOrderLamp")).contains(broken);
            assertThat(text(report, "features/report/properties/workOrderSentAt"))
                    .contains(text(workOrder, "sentAt").orElseThrow());
        });
        JsonObject seen = open311(id);
        assertThat(text(seen, "status")).contains("open");
        assertThat(text(seen, "status_notes").orElse("")).contains("doorgestuurd naar Openbare Verlichting");

        // the healthy neighbour reports: not the work order's lamp, so the report stays in progress. Once the close
        // route took and finished that event (its counters), it has been judged
        long before = counter(CLOSE_ROUTE, "in");
        mqtt().publish(controller.lampTopic("l-18") + "/state", "{\"dimLevel\":75,\"power\":\"on\"}");
        await("the close route judged the neighbour's report").atMost(PATIENCE).pollInterval(POLL)
                .untilAsserted(() -> {
                    long in = counter(CLOSE_ROUTE, "in");
                    assertThat(in).isGreaterThan(before);
                    assertThat(counter(CLOSE_ROUTE, "out") + counter(CLOSE_ROUTE, "failed")).isEqualTo(in);
                    assertThat(Hub.at(awaitThing(healthy), "features/lamp/properties/dimLevel")
                            .map(JsonValue::asInt)).contains(75);
                });
        assertThat(text(awaitThing(thing), "features/report/properties/status")).contains("in_progress");

        // the contractor repaired the lamp: its failure is cleared
        mqtt().publish(controller.lampTopic("l-17") + "/state", "{\"dimLevel\":60,\"power\":\"on\",\"failure\":null}");
        await("the report closed").atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            JsonObject closed = open311(id);
            assertThat(text(closed, "status")).as("%s", closed).contains("closed");
            assertThat(text(closed, "status_notes")).contains("De lamp is hersteld en brandt weer. Dank voor uw melding.");
        });
        assertThat(text(awaitThing(thing), "features/report/properties/status")).contains("closed");

        // the other report: no work order, still open
        assertThat(mqtt().received(WORK_ORDERS)).hasSize(1);
        assertThat(text(open311(litter), "status")).contains("open");
        assertThat(counter(ORDER_ROUTE, "failed")).isZero();
        assertThat(counter(CLOSE_ROUTE, "failed")).isZero();
    }

    /** Posts a report as a resident's app does (Open311 GeoReport v2, form fields, an API key); returns its id. */
    private String report(String serviceCode, String description, String email) {
        Map<String, String> fields = Map.of("service_code", serviceCode, "lat", Double.toString(LAT), "long",
                Double.toString(LON), "description", description, "email", email);
        String form = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        AtomicReference<String> id = new AtomicReference<>();
        // the adapter instance may still be starting: 503 until it answers
        await("Open311 takes a " + serviceCode + " report").atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            Hub.Response response = send("POST", "/ingest/open311/requests.json",
                    "application/x-www-form-urlencoded", form);
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            JsonArray answer = response.json().asArray();
            id.set(text(answer.get(0).orElseThrow().asObject(), "service_request_id").orElseThrow());
        });
        return id.get();
    }

    /** What the resident sees: the report over Open311, read anonymously. */
    private JsonObject open311(String id) {
        URI uri = URI.create("http://127.0.0.1:" + hub().property(HubTestOptions.HTTP_PORT)
                + "/ingest/open311/requests/" + id + ".json");
        try {
            HttpResponse<String> response = anonymous.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s: %s", uri, response.body()).isEqualTo(200);
            return JsonFactory.newArray(response.body()).get(0).orElseThrow().asObject();
        } catch (java.io.IOException e) {
            throw new AssertionError("GET " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted during GET " + uri, e);
        }
    }
}
