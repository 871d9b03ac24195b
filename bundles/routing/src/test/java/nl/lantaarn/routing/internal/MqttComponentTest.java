package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ResolveEndpointFailedException;
import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MqttComponentTest extends RoutingTestSupport {

    private ProducerTemplate template;

    @BeforeEach
    void startEmpty() {
        start();
        template = runtime.context().createProducerTemplate();
    }

    @Test
    void publishesTextAsUtf8WithDefaultQosAndRetain() {
        template.sendBody("mqtt:city/greeting", "grüezi");

        assertThat(mqtt.published).singleElement().satisfies(p -> {
            assertThat(p.topic()).isEqualTo("city/greeting");
            assertThat(p.payload()).isEqualTo("grüezi".getBytes(StandardCharsets.UTF_8));
            assertThat(p.qos()).isEqualTo(1);
            assertThat(p.retain()).isFalse();
        });
    }

    @Test
    void publishesBytesAsTheyAreWithTheQosAndRetainOfTheUri() {
        template.sendBody("mqtt:city/raw?qos=0&retain=true", new byte[] {0, 1, 2});

        assertThat(mqtt.published).singleElement().satisfies(p -> {
            assertThat(p.payload()).containsExactly(0, 1, 2);
            assertThat(p.qos()).isZero();
            assertThat(p.retain()).isTrue();
        });
    }

    @Test
    void publishesMapsAndListsAsJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("thingId", "nl.eindhoven.safety:stratumseind-12");
        body.put("laeq", 72.5);
        body.put("count", 3);
        body.put("ok", true);
        body.put("missing", null);
        body.put("tags", List.of("a", "b"));
        template.sendBody("mqtt:city/json", body);

        JsonObject json = JsonObject.of(mqtt.published.get(0).text());
        assertThat(json).isEqualTo(JsonObject.of("{\"thingId\":\"nl.eindhoven.safety:stratumseind-12\",\"laeq\":72.5,"
                + "\"count\":3,\"ok\":true,\"missing\":null,\"tags\":[\"a\",\"b\"]}"));
    }

    @Test
    void aFailedPublishFailsTheExchange() {
        mqtt.failWith = new IllegalStateException("broker said no");

        Exchange exchange = template.send("mqtt:city/alerts", e -> e.getMessage().setBody("alert"));

        assertThat(exchange.getException())
                .isInstanceOf(CamelExchangeException.class)
                .hasMessageContaining("city/alerts")
                .hasMessageContaining("broker said no")
                .hasRootCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailedPublishIsRetriedAndDeadLetteredByTheRoute() {
        write("retry.yaml", """
                - route:
                    id: retrying
                    errorHandler:
                      deadLetterChannel:
                        deadLetterUri: mqtt:city/dead
                        redeliveryPolicy:
                          maximumRedeliveries: 2
                          redeliveryDelay: 0
                    from:
                      uri: direct:retrying
                      steps:
                        - to: mqtt:city/alerts
                    description: test route
                    routeProperties:
                      purpose: tests
                      legalBasis: PUBLIC_TASK
                      owner: tests
                """);
        awaitStarted("retrying");

        mqtt.failuresLeft.set(2);
        template.sendBody("direct:retrying", "first");
        assertThat(mqtt.published).extracting(RecordingMqttConnection.Published::topic).containsExactly("city/alerts");

        mqtt.failuresLeft.set(3);
        template.sendBody("direct:retrying", "second");
        assertThat(mqtt.published).extracting(RecordingMqttConnection.Published::topic)
                .containsExactly("city/alerts", "city/dead");
        assertThat(mqtt.attempts).hasValue(7);
    }

    @Test
    void withoutAConnectionTheExchangeFails() {
        runtime.close();
        runtime = new RoutingRuntime(new RoutingRuntime.Settings(routes, 0, 10, 5, "test"), () -> null, () -> null,
                getClass().getClassLoader());
        runtime.start();

        Exchange exchange = runtime.context().createProducerTemplate()
                .send("mqtt:city/alerts", e -> e.getMessage().setBody("alert"));

        assertThat(exchange.getException()).hasMessageContaining("no MQTT connection");
    }

    @Test
    void anEmptyBodyFailsTheExchange() {
        Exchange exchange = template.send("mqtt:city/alerts", e -> e.getMessage().setBody(null));

        assertThat(exchange.getException()).hasMessageContaining("body is empty");
        assertThat(mqtt.published).isEmpty();
    }

    @Test
    void rejectsBadEndpointUris() {
        assertThatThrownBy(() -> runtime.context().getEndpoint("mqtt:city/x?qos=3"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("qos=3");
        assertThatThrownBy(() -> runtime.context().getEndpoint("mqtt:city/#"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("wildcards");
        assertThatThrownBy(() -> runtime.context().getEndpoint("mqtt:city/x?qso=1"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("qso");
        assertThatThrownBy(() -> runtime.context().getEndpoint("hub:events?feture=noise"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("feture");
        assertThatThrownBy(() -> runtime.context().getEndpoint("hub:changes"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("hub:events");
    }
}
