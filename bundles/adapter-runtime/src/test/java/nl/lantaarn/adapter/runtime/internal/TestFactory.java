package nl.lantaarn.adapter.runtime.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

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

/** An adapter type for tests: the inbound and the mapping are given, every adapter made is kept for inspection. */
final class TestFactory implements AdapterFactory {

    /** A mapping that may block or throw anything. */
    interface Mapping {
        List<ThingUpdate> map(AdapterConfiguration config, InboundMessage message) throws Exception;
    }

    /** Maps {@code {"count":n}} on topic {@code .../<id>} to thing {@code nl.test.crowd:<id>}. */
    static final Mapping COUNTING = (config, message) -> {
        double count = PayloadReader.requiredNumber(PayloadReader.jsonObject(message), "count");
        return List.of(ThingUpdate.merge(ThingId.of("nl.test.crowd", message.lastTopicLevel()),
                JsonObject.of("{\"features\":{\"crowd\":{\"properties\":{\"count\":" + count + "}}}}")));
    };

    final AdapterType type;
    private final Function<AdapterConfiguration, Inbound> inbound;
    private final Mapping mapping;
    final List<TestAdapter> created = new CopyOnWriteArrayList<>();

    TestFactory(String typeId, boolean defaultInstance, Function<AdapterConfiguration, Inbound> inbound,
            Mapping mapping) {
        this.type = AdapterType.builder(typeId).vendor("Test vendor").domains("crowd").description("for tests")
                .defaultInstance(defaultInstance)
                .privacy(PrivacyManifest.builder().dataCategories("people-count").purpose("tests")
                        .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK).retention(Duration.ofDays(1))
                        .fields("/features/crowd/properties/count").build())
                .build();
        this.inbound = inbound;
        this.mapping = mapping;
    }

    /** An MQTT adapter on the topic filter in property {@code topic} (default {@code sim/<type>/+}). */
    static TestFactory mqtt(String typeId, boolean defaultInstance, Mapping mapping) {
        return new TestFactory(typeId, defaultInstance,
                config -> Inbound.mqtt(config.string("topic", "sim/" + config.typeId() + "/+"), 1), mapping);
    }

    @Override
    public AdapterType type() {
        return type;
    }

    @Override
    public SensorAdapter create(AdapterConfiguration configuration) throws AdapterConfigurationException {
        // a property every test type understands, to show validation failures
        configuration.integer("limit", 10, 1, 100);
        TestAdapter adapter = new TestAdapter(configuration, inbound.apply(configuration), mapping);
        created.add(adapter);
        return adapter;
    }

    TestAdapter last() {
        return created.get(created.size() - 1);
    }

    static final class TestAdapter implements SensorAdapter {
        final AdapterConfiguration configuration;
        private final Inbound inbound;
        private final Mapping mapping;
        final List<String> origins = new CopyOnWriteArrayList<>();
        volatile boolean closed;
        volatile boolean mappedAfterClose;

        TestAdapter(AdapterConfiguration configuration, Inbound inbound, Mapping mapping) {
            this.configuration = configuration;
            this.inbound = inbound;
            this.mapping = mapping;
        }

        @Override
        public Inbound inbound() {
            return inbound;
        }

        @Override
        public List<ThingUpdate> map(InboundMessage message) throws PayloadRejectedException {
            if (closed) {
                mappedAfterClose = true;
            }
            origins.add(message.origin());
            try {
                return mapping.map(configuration, message);
            } catch (PayloadRejectedException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
