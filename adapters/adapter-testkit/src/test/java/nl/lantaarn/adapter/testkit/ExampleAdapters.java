package nl.lantaarn.adapter.testkit;

import java.time.Duration;
import java.util.List;

import org.eclipse.ditto.json.JsonObject;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadReader;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.things.model.ThingUpdate;

/**
 * Small adapters the kit is tested against: payload {@code {"id":"n-1","level":61.5}} on {@code test/level/+} becomes
 * thing {@code nl.test.safety:level-<id>} with feature {@code level}.
 */
final class ExampleAdapters {

    /** How an example adapter misbehaves. */
    enum Flaw {
        /** None: a well-behaved adapter. */
        NONE,
        /** Writes {@code /attributes/owner}, which its manifest does not declare. */
        UNDECLARED_FIELD,
        /** Reads the payload without checks, so garbage ends in a NullPointerException. */
        NPE_ON_GARBAGE,
        /** Maps into a namespace whose domain is not the type's. */
        WRONG_DOMAIN
    }

    private ExampleAdapters() {
    }

    static AdapterFactory factory(Flaw flaw) {
        AdapterType type = AdapterType.builder("example-level")
                .vendor("Lantaarn tests")
                .domains("safety")
                .description("Example sound-level sensors")
                .privacy(PrivacyManifest.builder()
                        .dataCategories("sound-level")
                        .purpose("test the adapter test kit")
                        .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK)
                        .retention(Duration.ofDays(30))
                        .fields("/attributes/adapter", "/features/level/properties")
                        .build())
                .build();
        return new AdapterFactory() {
            @Override
            public AdapterType type() {
                return type;
            }

            @Override
            public SensorAdapter create(AdapterConfiguration configuration) {
                return new LevelAdapter(flaw);
            }
        };
    }

    static List<Sample> samples() {
        return List.of(
                Sample.of("n-1", "test/level/n-1", "{\"id\":\"n-1\",\"level\":61.5}"),
                Sample.of("n-2", "test/level/n-2", "{\"id\":\"n-2\",\"level\":40,\"note\":\"quiet\"}"));
    }

    /** The mistake the kit must catch: garbage becomes null and the next read throws NullPointerException. */
    private static JsonObject parseSloppily(InboundMessage message) {
        try {
            return PayloadReader.jsonObject(message);
        } catch (PayloadRejectedException e) {
            return null;
        }
    }

    private static final class LevelAdapter implements SensorAdapter {
        private final Flaw flaw;

        LevelAdapter(Flaw flaw) {
            this.flaw = flaw;
        }

        @Override
        public Inbound inbound() {
            return Inbound.mqtt("test/level/+", 1);
        }

        @Override
        public List<ThingUpdate> map(InboundMessage message) throws PayloadRejectedException {
            JsonObject json;
            if (flaw == Flaw.NPE_ON_GARBAGE) {
                json = parseSloppily(message);
            } else {
                json = PayloadReader.jsonObject(message);
            }
            String id = PayloadReader.deviceId(PayloadReader.optionalString(json, "id")
                    .orElse(message.lastTopicLevel()), "field 'id'");
            double level = PayloadReader.requiredNumber(json, "level");
            String domain = flaw == Flaw.WRONG_DOMAIN ? "lighting" : "safety";
            JsonObject patch = JsonObject.newBuilder()
                    .set("attributes", JsonObject.newBuilder().set(HubConventions.ADAPTER, "example-level")
                            .set(flaw == Flaw.UNDECLARED_FIELD ? "owner" : "adapter", "example-level").build())
                    .set("features", JsonObject.newBuilder()
                            .set("level", JsonObject.newBuilder()
                                    .set("properties", JsonObject.newBuilder().set("level", level).build())
                                    .build())
                            .build())
                    .build();
            return List.of(ThingUpdate.merge(HubConventions.thingId("nl", "test", domain, "level-" + id), patch));
        }
    }
}
