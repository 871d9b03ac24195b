package nl.lantaarn.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;

class LampFleetTest {

    private static final Instant NOW = Instant.parse("2026-11-24T21:00:00Z");

    private final LampFleet fleet = new LampFleet("lighting", 10, 3, LampFleet.DEFAULT_SCENES);
    private final SplittableRandom random = new SplittableRandom(7);

    @Test
    void lampsTakeTurnsAndAreSpreadOverTheControllersInBlocks() {
        Map<String, Integer> perController = new HashMap<>();
        for (int k = 0; k < 10; k++) {
            LampFleet.Outgoing state = fleet.nextState(k, NOW, random, 0);
            String[] levels = state.topic().split("/");
            assertThat(levels[3]).isEqualTo(LampFleet.lampId(k));
            perController.merge(levels[1], 1, Integer::sum);
            JsonObject json = Json.parse(state.payload()).asObject();
            assertThat(json.getInt("dimLevel", -1)).isEqualTo(70);
            assertThat(json.getString("scene", "")).isEqualTo("normal");
            assertThat(json.getString("power", "")).isEqualTo("on");
            assertThat(json.get("failure").isNull()).isTrue();
            assertThat(json.getString("reportedAt", "")).isEqualTo(NOW.toString());
        }
        assertThat(perController).containsOnlyKeys("ctl_01", "ctl_02", "ctl_03");
        assertThat(perController.values()).allSatisfy(n -> assertThat(n).isBetween(3, 4));
        assertThat(fleet.nextState(0, NOW, random, 1).payload()).contains("\"failure\":\"lamp driver does not respond\"");
    }

    @Test
    void appliesAndAcknowledgesACommandToOneLamp() {
        String topic = fleet.nextState(4, NOW, random, 0).topic().replace("/state", "/set");
        LampFleet.Reply reply = fleet.onCommand(topic, "{\"commandId\":\"c-1\",\"dimLevel\":40,\"scene\":\"calm\"}",
                NOW, random, 0, 0);

        assertThat(reply.outcome()).isEqualTo("ok");
        assertThat(reply.ack().topic()).isEqualTo("lighting/" + topic.split("/")[1] + "/ack");
        assertThat(reply.ack().payload()).isEqualTo("{\"commandId\":\"c-1\",\"status\":\"ok\"}");
        assertThat(reply.states()).singleElement().satisfies(state -> {
            assertThat(state.topic()).isEqualTo(topic.replace("/set", "/state"));
            assertThat(state.payload()).contains("\"dimLevel\":40").contains("\"scene\":\"calm\"");
        });
        assertThat(fleet.nextState(4, NOW, random, 0).payload()).contains("\"dimLevel\":40");
        assertThat(fleet.nextState(5, NOW, random, 0).payload()).contains("\"dimLevel\":70");
    }

    @Test
    void aGroupCommandAppliesToEveryLampOfTheController() {
        LampFleet.Reply reply = fleet.onCommand("lighting/ctl_02/group/all/set",
                "{\"commandId\":\"g-1\",\"power\":\"off\"}", NOW, random, 0, 0);
        assertThat(reply.outcome()).isEqualTo("ok");
        assertThat(reply.states()).hasSizeBetween(3, 4).allSatisfy(state -> {
            assertThat(state.topic()).startsWith("lighting/ctl_02/lamp/");
            assertThat(state.payload()).contains("\"power\":\"off\"");
        });
    }

    @Test
    void answersInvalidValuesWithAnErrorNamingThem() {
        LampFleet.Reply reply = fleet.onCommand("lighting/ctl_01/lamp/l-00001/set",
                "{\"commandId\":\"c-2\",\"scene\":\"disco\"}", NOW, random, 0, 0);
        assertThat(reply.outcome()).isEqualTo("error");
        assertThat(Json.parse(reply.ack().payload()).asObject().getString("reason", "")).isEqualTo("unknown scene: disco");
        assertThat(reply.states()).isEmpty();
    }

    @Test
    void dropsAndErrorsTheConfiguredShares() {
        Map<String, Integer> outcomes = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            outcomes.merge(fleet.onCommand("lighting/ctl_01/lamp/l-00001/set", "{\"commandId\":\"c-" + i
                    + "\",\"dimLevel\":10}", NOW, random, 0.25, 0.25).outcome(), 1, Integer::sum);
        }
        assertThat(outcomes.get("dropped")).isBetween(400, 600);
        assertThat(outcomes.get("error")).isBetween(400, 600);
        assertThat(outcomes.get("ok")).isBetween(900, 1100);
    }

    @Test
    void ignoresWhatIsNoCommandOfThisFleet() {
        assertThat(fleet.onCommand("lighting/ctl_04/lamp/l-00001/set", "{\"commandId\":\"x\"}", NOW, random, 0, 0)
                .outcome()).isEqualTo("ignored"); // no such controller
        assertThat(fleet.onCommand("lighting/ctl_02/lamp/l-00001/set", "{\"commandId\":\"x\"}", NOW, random, 0, 0)
                .outcome()).isEqualTo("ignored"); // lamp of another controller
        assertThat(fleet.onCommand("lighting/ctl_01/lamp/l-00001/set", "{\"dimLevel\":1}", NOW, random, 0, 0)
                .outcome()).isEqualTo("ignored"); // no command id
        assertThat(fleet.onCommand("other/ctl_01/lamp/l-00001/set", "{\"commandId\":\"x\"}", NOW, random, 0, 0)
                .outcome()).isEqualTo("ignored");
    }

    @Test
    void refusesMoreControllersThanLamps() {
        assertThatThrownBy(() -> new LampFleet("lighting", 2, 3, LampFleet.DEFAULT_SCENES))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 controllers for 2 lamps");
    }
}
