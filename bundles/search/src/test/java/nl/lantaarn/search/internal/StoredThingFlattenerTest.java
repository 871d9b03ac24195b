package nl.lantaarn.search.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.ditto.base.model.json.FieldType;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.Test;

/** The streaming flattener of stored JSON fills the columns exactly as indexing the parsed Ditto thing does. */
class StoredThingFlattenerTest {

    private static final String RICH = """
            {"thingId":"nl.eindhoven.safety:rich","policyId":"nl.eindhoven.safety:rich",
             "attributes":{"zone":"a","floors":3,"height":12.5,"public":true,"closed":false,"note":null,
              "tags":["x",2,true,null,{"deep":1},[1,2]],"empty":{},"quote":"say \\"hi\\" \\u00e9",
              "location":{"type":"Point","coordinates":[5.47,51.44]}},
             "features":{"noise":{"properties":{"laeq":61.5,"peaks":[70,71.5],"big":12345678901234}},
              "lamp":{"properties":{"on":true,"dim":{"level":40}}}},
             "_revision":7,"_created":"2026-11-24T10:00:00Z","_modified":"2026-11-24T11:00:00Z",
             "_metadata":{"features":{"noise":{"properties":{"laeq":{"at":"x"}}}}}}""";

    private final StoredThingFlattener flattener = new StoredThingFlattener();

    @Test
    void fillsTheColumnsAsTheParsedThingDoes() {
        Thing thing = ThingsModelFactory.newThing(JsonFactory.readFrom(RICH).asObject());
        String stored = thing.toJson(JsonSchemaVersion.V_2, FieldType.regularOrSpecial()).toString();
        ThingIndex fromThing = new ThingIndex();
        fromThing.upsert(thing);
        ThingIndex fromJson = new ThingIndex();
        fromJson.applyStored(List.of(flattener.flatten("nl.eindhoven.safety:rich", stored)));

        assertThat(describe(fromJson)).isEqualTo(describe(fromThing)).contains("features/lamp/properties/dim/level=2:40.0",
                "attributes/tags=5:[x, 2.0, true, null, {...}, {...}]", "_revision=2:7.0")
                .noneMatch(line -> line.startsWith("_metadata"));
        assertThat(fromJson.lon(0)).isEqualTo(5.47);
        assertThat(fromJson.lat(0)).isEqualTo(51.44);
    }

    @Test
    void anOlderRevisionDoesNotReplaceANewerOne() {
        ThingIndex index = new ThingIndex();
        index.applyStored(List.of(flattener.flatten("a:b", "{\"thingId\":\"a:b\",\"_revision\":5,\"x\":1}")));
        index.applyStored(List.of(flattener.flatten("a:b", "{\"thingId\":\"a:b\",\"_revision\":4,\"x\":2}")));
        assertThat(describe(index)).contains("x=2:1.0");
        index.applyStored(List.of(flattener.flatten("a:b", "{\"thingId\":\"a:b\",\"_revision\":6,\"y\":2}")));
        assertThat(describe(index)).contains("y=2:2.0").noneMatch(line -> line.startsWith("x="));
    }

    @Test
    void aLocationOutOfRangeIsNoLocation() {
        ThingIndex index = new ThingIndex();
        index.applyStored(List.of(flattener.flatten("a:b",
                "{\"attributes\":{\"location\":{\"coordinates\":[200,51.4]}}}")));
        assertThat(index.lon(0)).isNaN();
    }

    @Test
    void namesTheThingWhoseJsonCannotBeRead() {
        assertThatThrownBy(() -> flattener.flatten("a:broken", "{\"x\":")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a:broken");
        assertThatThrownBy(() -> flattener.flatten("a:list", "[1]")).hasMessageContaining("not an object");
    }

    /** Every column's value of slot 0 as path=kind:value, sorted. */
    private static List<String> describe(ThingIndex index) {
        List<String> described = new ArrayList<>();
        index.read(() -> {
            for (int paths = 1; paths <= 8; paths++) {
                String[] pattern = new String[paths];
                Arrays.fill(pattern, "*");
                for (Column column : index.columnsMatching(pattern)) {
                    byte type = column.type(0);
                    if (type == Column.ABSENT) {
                        continue;
                    }
                    Object value = switch (type) {
                        case Column.NUMBER -> column.number(0);
                        case Column.STRING -> column.ref(0);
                        case Column.ARRAY -> Arrays.toString((Object[]) column.ref(0));
                        default -> "";
                    };
                    described.add(column.path + "=" + type + ":" + value);
                }
            }
            return null;
        });
        described.sort(null);
        return described;
    }
}
