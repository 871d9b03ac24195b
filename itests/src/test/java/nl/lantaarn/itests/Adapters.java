package nl.lantaarn.itests;

import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

import nl.lantaarn.adapter.admin.AdapterAdmin;
import nl.lantaarn.adapter.admin.AdapterStatus;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.deadletter.api.DeadLetterQuery;
import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.twin.api.TwinService;

/**
 * The adapter runtime as a test inside the framework sees it: its services, instance status, factories registered by
 * the test. A helper rather than a base class: the test classes are loaded by JUnit outside the framework, where the
 * hub's API is not on the class path, so its types must not appear in their signatures, nor as parameter types the
 * class verifier has to check (it loads those).
 */
final class Adapters {

    private final SliceTestSupport test;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    Adapters(SliceTestSupport test) {
        this.test = test;
    }

    /** A service of the hub, once it is registered. */
    <T> T service(Class<T> type) {
        ServiceReference<T> registered = test.hub().context().getServiceReference(type);
        T present = registered == null ? null : test.hub().context().getService(registered);
        if (present != null) {
            return present; // no waiting when it is there: some tests look up thousands of things
        }
        AtomicReference<T> found = new AtomicReference<>();
        await(type.getSimpleName() + " registered").atMost(SliceTestSupport.PATIENCE)
                .pollInterval(SliceTestSupport.POLL).until(() -> {
                    ServiceReference<T> reference = test.hub().context().getServiceReference(type);
                    T service = reference == null ? null : test.hub().context().getService(reference);
                    found.set(service);
                    return service != null;
                });
        return found.get();
    }

    AdapterAdmin admin() {
        return service(AdapterAdmin.class);
    }

    /** The status of an instance; fails when there is no such instance. */
    AdapterStatus status(String id) {
        return admin().status(id).orElseThrow(() -> new AssertionError("no adapter instance " + id + " in "
                + admin().list()));
    }

    /** The health the {@code adapters} contributor reports. */
    ComponentHealth health() {
        AtomicReference<ComponentHealth> health = new AtomicReference<>();
        await("the adapters health contributor").atMost(SliceTestSupport.PATIENCE).pollInterval(SliceTestSupport.POLL)
                .until(() -> {
                    for (ServiceReference<HealthContributor> reference : test.hub().context()
                            .getServiceReferences(HealthContributor.class, null)) {
                        HealthContributor contributor = test.hub().context().getService(reference);
                        if (contributor != null && "adapters".equals(contributor.component())) {
                            health.set(contributor.health());
                            return true;
                        }
                    }
                    return false;
                });
        return health.get();
    }

    /** Dead letters of one source. */
    long deadLetters(String source) {
        return service(DeadLetterService.class).list(new DeadLetterQuery(source, null, null, null, 1_000_000)).size();
    }

    /** Publishes until the reading's thing is in the twin (the subscription may not be in place at once). */
    void publishUntilThing(String topic, String payload, String thingId) {
        TwinService twin = service(TwinService.class);
        await(thingId + " in the twin after publishing to " + topic).atMost(SliceTestSupport.PATIENCE)
                .pollInterval(SliceTestSupport.POLL).until(() -> {
                    test.mqtt().publish(topic, payload);
                    return twin.retrieve(ThingId.of(thingId)).isPresent();
                });
    }

    /** The thing's revision (0 when it does not exist). */
    long revision(String thingId) {
        return service(TwinService.class).retrieve(ThingId.of(thingId)).flatMap(Thing::getRevision)
                .map(revision -> revision.toLong()).orElse(0L);
    }

    /** A property of one feature of the thing, as a whole number (-1 when absent). */
    long property(String thingId, String feature, String property) {
        return service(TwinService.class).retrieve(ThingId.of(thingId)).flatMap(Thing::getFeatures)
                .flatMap(features -> features.getFeature(feature)).flatMap(f -> f.getProperty(property))
                .map(value -> value.asLong()).orElse(-1L);
    }

    /**
     * Registers an adapter type from the test's bundle, as an adapter bundle would (see {@link TestAdapterFactory}).
     *
     * @param blockUntil its map calls wait for this latch; {@code null}: they do not wait
     */
    void register(String typeId, String topic, java.util.concurrent.CountDownLatch blockUntil) {
        registrations.add(test.hub().context().registerService(AdapterFactory.class,
                new TestAdapterFactory(typeId, topic, blockUntil), null));
    }

    void unregisterAll() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
    }
}
