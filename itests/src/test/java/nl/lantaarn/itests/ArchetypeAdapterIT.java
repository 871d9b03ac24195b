package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

import nl.lantaarn.twin.api.TwinService;

/**
 * The adapter that the archetype generates (adapters/archetype, its integration test {@code basic}) works in a running
 * hub: its jar, dropped into deploy/, starts, and its recorded sample published on its MQTT topic becomes the thing
 * in the twin. Needs no configuration: the generated type runs a {@code default} instance.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ArchetypeAdapterIT extends SliceTestSupport {

    /** System property (itests/pom.xml): the jar the archetype's integration test built. */
    static final String ADAPTER_JAR = "lantaarn.itest.archetypeAdapter";
    /** As in adapters/archetype/src/test/resources/projects/basic/archetype.properties. */
    private static final String BUNDLE = "nl.example.adapter.acme";
    private static final String TOPIC = "acme-sound/s-1";
    private static final String THING = "nl.demo.safety:acme-sound-s-1";

    @Configuration
    public Option[] config() {
        return HubTestOptions.embedded(ArchetypeAdapterIT.class);
    }

    @Test
    public void generatedAdapterDeploysAndMapsItsSample() throws IOException {
        assertThat(hub().bundle(BUNDLE)).as("the generated adapter before it is deployed").isEmpty();
        Path jar = HubTestOptions.requiredPath(ADAPTER_JAR);
        // the generated project's own sample: <project>/target/<jar> -> <project>/src/test/resources/samples
        Path sample = jar.getParent().getParent().resolve("src/test/resources/samples/reading.json");
        String payload = Files.readString(sample, StandardCharsets.UTF_8).trim();

        Path staged = hub().home().resolveSibling(BUNDLE + ".jar");
        Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
        // appears at once and complete, so FileInstall never sees half a jar
        Files.move(staged, hub().home().resolve("deploy").resolve(BUNDLE + ".jar"), StandardCopyOption.ATOMIC_MOVE);
        await(BUNDLE + " ACTIVE after it was dropped into deploy/").atMost(PATIENCE).pollInterval(POLL)
                .untilAsserted(() -> assertThat(hub().bundle(BUNDLE).map(Bundle::getState)).contains(Bundle.ACTIVE));

        // publish until the thing is in the twin: the adapter's subscription follows its start
        AtomicReference<Thing> thing = new AtomicReference<>();
        await(THING + " in the twin after publishing " + sample.getFileName() + " to " + TOPIC).atMost(PATIENCE)
                .pollInterval(POLL).untilAsserted(() -> {
                    mqtt().publish(TOPIC, payload);
                    Optional<Thing> found = retrieve(ThingId.of(THING));
                    assertThat(found).as("thing %s in the twin", THING).isPresent();
                    thing.set(found.get());
                });

        JsonObject json = thing.get().toJson();
        assertThat(json.getValue(JsonPointer.of("/features/reading/properties/value")).map(JsonValue::asDouble))
                .contains(42.5);
        assertThat(json.getValue(JsonPointer.of("/attributes/adapter"))).contains(JsonValue.of("acme-sound"));
        assertThat(json.getValue(JsonPointer.of("/attributes/location/type"))).contains(JsonValue.of("Point"));
    }

    /** The thing as the twin holds it, through the TwinService the hub registered. */
    private Optional<Thing> retrieve(ThingId id) {
        ServiceReference<TwinService> reference = hub().context().getServiceReference(TwinService.class);
        assertThat(reference).as("a TwinService").isNotNull();
        TwinService twin = hub().context().getService(reference);
        assertThat(twin).as("the TwinService of %s", reference).isNotNull();
        try {
            return twin.retrieve(id);
        } finally {
            hub().context().ungetService(reference);
        }
    }
}
