package nl.lantaarn.notify.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.Test;

import nl.lantaarn.notify.api.Alert;

/** Channel names, the alert JSON, backoff and the circuit breaker on their own. */
class UnitsTest {

    @Test
    void channelNameComesFromFileNameThenNameThenPid() {
        String pid = "nl.lantaarn.notify.webhook";
        assertThat(ChannelNames.of(pid, Map.of("felix.fileinstall.filename",
                "file:/hub/etc/nl.lantaarn.notify.webhook-police-noord.cfg", "service.pid", pid + ".police"
                        + "-noord", "name", "ignored"))).isEqualTo("police-noord");
        assertThat(ChannelNames.of(pid, Map.of("name", "ops", "service.pid", pid + ".1234"))).isEqualTo("ops");
        assertThat(ChannelNames.of(pid, Map.of("service.pid", pid + "~partner"))).isEqualTo("partner");
        assertThatThrownBy(() -> ChannelNames.of(pid, Map.of("service.pid", pid + ".1234")))
                .hasMessageContaining("no channel name").hasMessageContaining("etc/" + pid + "-<name>.cfg");
        assertThatThrownBy(() -> ChannelNames.of(pid, Map.of("name", "a,b"))).hasMessageContaining("'a,b'");
    }

    @Test
    void alertJsonHasEveryField() {
        Alert alert = new Alert("id-1", "route:r", "critical", "Gunshot", null, "GM0363", "{\"db\":120}",
                Instant.parse("2026-01-01T00:00:00Z"));
        JsonObject json = AlertJson.toJson(alert);
        assertThat(json.getKeys()).extracting(Object::toString).containsExactly("id", "source", "severity", "title",
                "thingId", "zone", "occurredAt", "body");
        assertThat(json.getValue("thingId").orElseThrow().isNull()).isTrue();
        assertThat(json.getValue("occurredAt").orElseThrow().asString()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(json.getValue("body").orElseThrow()).isEqualTo(JsonFactory.newObject("{\"db\":120}"));
        Alert text = new Alert("id-2", "s", "info", "t", null, null, "not json", Instant.EPOCH);
        assertThat(AlertJson.toJson(text).getValue("body/text").orElseThrow().asString()).isEqualTo("not json");
    }

    @Test
    void backoffGrowsWithJitterUpToCap() {
        ChannelSettings settings = ChannelSettings.of(10, 5, 100, 1000, 5, 1000);
        for (int i = 0; i < 50; i++) {
            assertThat(settings.backoffMillis(1)).isBetween(50L, 100L);
            assertThat(settings.backoffMillis(3)).isBetween(200L, 400L);
            assertThat(settings.backoffMillis(40)).isBetween(500L, 1000L);
        }
        assertThatThrownBy(() -> ChannelSettings.of(0, 5, 100, 1000, 5, 1000)).hasMessageContaining("queueCapacity");
        assertThatThrownBy(() -> ChannelSettings.of(10, 5, 100, 10, 5, 1000)).hasMessageContaining("backoffMaxMillis");
    }

    @Test
    void breakerOpensAfterThresholdAndReopensOnFailedTrial() {
        CircuitBreaker breaker = new CircuitBreaker(3, 1000);
        assertThat(breaker.onFailure(0)).isFalse();
        assertThat(breaker.onFailure(0)).isFalse();
        assertThat(breaker.onFailure(0)).isTrue();
        assertThat(breaker.state(500)).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.nanosUntilAllowed(500)).isEqualTo(500);
        assertThat(breaker.state(1000)).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.onFailure(1000)).isFalse(); // was open already: stays open for another cool-down
        assertThat(breaker.state(1500)).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.onSuccess()).isTrue();
        assertThat(breaker.state(1500)).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.isOpen()).isFalse();
    }
}
