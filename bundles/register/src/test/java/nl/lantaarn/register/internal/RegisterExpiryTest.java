package nl.lantaarn.register.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import nl.lantaarn.twin.api.WriteCondition;

/** A sensor past activeUntil is marked inactive on its thing and in the register, and active again when extended. */
class RegisterExpiryTest {

    private static final ThingId COUNTER = ThingId.of("nl.eindhoven.crowd:counter-3");

    @Test
    void aSensorPastActiveUntilIsShownInactiveUntilItIsExtended() throws Exception {
        try (RegisterFixture fixture = new RegisterFixture()) {
            RegisterExpiry expiry = new RegisterExpiry(fixture.twin, RegisterFixture.CLOCK);
            try {
                assertThat(expiry.sweep()).as("only counter-3 is past its activeUntil (2026-11-23)").isEqualTo(1);
                JsonObject register = register(fixture);
                assertThat(register.getValue("active")).contains(JsonValue.of(false));
                assertThat(register.getValue("deactivatedAt")).contains(JsonValue.of("2026-11-24T12:00:00Z"));
                assertThat(expiry.sweep()).as("nothing more to do").isZero();

                HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(fixture.base + "/register/")).build(), HttpResponse.BodyHandlers.ofString());
                Element counter = Jsoup.parse(page.body()).selectFirst("li[data-thing=" + COUNTER + "]");
                assertThat(counter.hasClass("inactive")).isTrue();
                HttpResponse<String> geoJson = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(fixture.base + "/register.geojson")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(geoJson.body()).contains("\"deactivatedAt\":\"2026-11-24T12:00:00Z\"");

                fixture.twin.modify(COUNTER, JsonPointer.of("attributes/register/activeUntil"),
                        JsonValue.of("2026-12-31"), WriteCondition.any());
                assertThat(expiry.sweep()).isEqualTo(1);
                assertThat(register(fixture).getValue("active")).contains(JsonValue.of(true));
                assertThat(register(fixture).contains("deactivatedAt")).isFalse();
            } finally {
                expiry.deactivate();
            }
        }
    }

    private static JsonObject register(RegisterFixture fixture) {
        return fixture.twin.retrieve(COUNTER).orElseThrow().getAttributes().orElseThrow()
                .getValue(JsonPointer.of("register")).orElseThrow().asObject();
    }
}
