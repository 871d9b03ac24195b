package nl.lantaarn.itests;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadReader;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.things.model.ThingUpdate;

/**
 * An adapter type registered by a test: MQTT on the topic filter of setting {@code topic}, a whole-number setting
 * {@code limit} (1-1000) to show configuration errors, and {@code {"count":n}} on {@code .../<id>} mapped to thing
 * {@code nl.itest.crowd:<id>}; with a latch, every map call first waits for it (a stuck adapter).
 */
final class TestAdapterFactory implements AdapterFactory {

    private final AdapterType type;
    private final String topic;
    private final CountDownLatch blockUntil;

    /** @param blockUntil map calls wait until it is counted down; {@code null}: they do not wait */
    TestAdapterFactory(String id, String topic, CountDownLatch blockUntil) {
        this.topic = topic;
        this.blockUntil = blockUntil;
        this.type = AdapterType.builder(id).vendor("integration test").domains("crowd")
                .description("an adapter type registered by an integration test").defaultInstance(true)
                .privacy(PrivacyManifest.builder().dataCategories("people-count").purpose("testing the hub")
                        .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK).retention(Duration.ofDays(1))
                        .fields("/features/crowd").build())
                .build();
    }

    private List<ThingUpdate> map(InboundMessage message) throws Exception {
        if (blockUntil != null) {
            blockUntil.await();
            return List.of();
        }
        double count = PayloadReader.requiredNumber(PayloadReader.jsonObject(message), "count");
        return List.of(ThingUpdate.merge(ThingId.of("nl.itest.crowd", message.lastTopicLevel()),
                JsonObject.of("{\"features\":{\"crowd\":{\"properties\":{\"count\":" + count + "}}}}")));
    }

    @Override
    public AdapterType type() {
        return type;
    }

    @Override
    public SensorAdapter create(AdapterConfiguration configuration) throws AdapterConfigurationException {
        configuration.integer("limit", 1, 1, 1000);
        Inbound inbound = Inbound.mqtt(configuration.string("topic", topic), 1);
        return new SensorAdapter() {
            @Override
            public Inbound inbound() {
                return inbound;
            }

            @Override
            public List<ThingUpdate> map(InboundMessage message) throws PayloadRejectedException {
                try {
                    return TestAdapterFactory.this.map(message);
                } catch (PayloadRejectedException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
