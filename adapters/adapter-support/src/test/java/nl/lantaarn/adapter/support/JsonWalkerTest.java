package nl.lantaarn.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.Test;

import nl.lantaarn.adapter.api.PayloadRejectedException;

class JsonWalkerTest {

    /** Records what it is shown. */
    private static class Recorder implements JsonWalker.Visitor {
        final List<String> seen = new ArrayList<>();

        @Override
        public void name(String name, String parent, String path) {
            seen.add("name " + name + " in '" + parent + "' at " + path);
        }

        @Override
        public void array(JsonArray array, String path, int depth) {
            seen.add("array of " + array.getSize() + " at " + path + " depth " + depth);
        }

        @Override
        public void string(String text, String path) {
            seen.add("string " + text + " at " + path);
        }
    }

    @Test
    void everyNameArrayAndStringIsVisitedWithItsPath() throws Exception {
        Recorder recorder = new Recorder();

        JsonWalker.walk(JsonObject.of("{\"a\":\"x\",\"b\":{\"c\":[\"y\",{\"d\":1}]}}"), 5, recorder);

        assertThat(recorder.seen).containsExactly(
                "name a in '' at a",
                "string x at a",
                "name b in '' at b",
                "name c in 'b' at b.c",
                "array of 2 at b.c depth 2",
                "string y at b.c[0]",
                "name d in 'b.c[1]' at b.c[1].d");
    }

    @Test
    void objectsDeeperThanTheLimitAreRefused() {
        JsonObject deep = JsonObject.of("{\"a\":{\"b\":{\"c\":{}}}}");

        assertThatThrownBy(() -> JsonWalker.walk(deep, 3, new Recorder()))
                .isInstanceOf(PayloadRejectedException.class)
                .hasMessage("field 'a.b.c' is nested deeper than 3 levels");
    }

    @Test
    void whatTheVisitorThrowsEndsTheWalk() {
        Recorder refusing = new Recorder() {
            @Override
            public void string(String text, String path) {
                throw new IllegalStateException("refused at " + path);
            }
        };

        assertThatThrownBy(() -> JsonWalker.walk(JsonObject.of("{\"a\":1,\"b\":\"no\",\"c\":\"never\"}"), 5,
                refusing)).hasMessage("refused at b");
    }
}
