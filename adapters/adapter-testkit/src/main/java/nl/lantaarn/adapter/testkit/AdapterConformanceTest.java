package nl.lantaarn.adapter.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.adapter.testkit.internal.MalformedInput;
import nl.lantaarn.adapter.testkit.internal.ThingChecks;
import nl.lantaarn.things.model.ThingUpdate;

/**
 * The conformance checks every adapter's tests run: extend this class, return the adapter's factory and a few recorded
 * payloads, and the checks below run as JUnit 5 tests.
 * <ul>
 * <li>the factory's {@link AdapterType} is complete, with a complete {@link PrivacyManifest};</li>
 * <li>{@link AdapterFactory#create} succeeds for {@link #configuration()};</li>
 * <li>every sample maps to at least one update, each a valid thing under the hub's conventions, in one of the type's
 * domains;</li>
 * <li>every field the updates write is declared by the privacy manifest;</li>
 * <li>a malformed-input corpus (truncated and re-typed samples, huge numbers, deep nesting, invalid UTF-8, empty and
 * random payloads, JSON null, top-level arrays) never makes {@code map} throw anything but a
 * {@link PayloadRejectedException} with a reason, and garbage never becomes thing updates;</li>
 * <li>single-thread mapping throughput is measured and printed (not asserted).</li>
 * </ul>
 * Each check is a separate (dynamic) test named after the sample or input it used. The adapter instance is created
 * afresh for each test method and closed after it.
 */
public abstract class AdapterConformanceTest {

    /** Seeds the random-binary input so a failure can be reproduced. */
    private static final long SEED = 20261124L;
    private static final long WARM_UP_NANOS = 1_000_000_000L;
    private static final long MEASURE_NANOS = 1_500_000_000L;

    private AdapterFactory factory;
    private AdapterType type;
    private SensorAdapter adapter;
    /** Keeps the throughput loop's results observable, so the JIT cannot drop the mapping. */
    private long sink;

    /** The factory under test, as the adapter bundle registers it. */
    protected abstract AdapterFactory factory();

    /** The configuration the checks use; default: instance {@code default} with no properties. */
    protected AdapterConfiguration configuration() {
        return new AdapterConfiguration(adapterType().id(), "default", Map.of());
    }

    /** Payloads that must each map to at least one valid thing update. At least one. */
    protected abstract List<Sample> samples();

    /** The factory's adapter type, read once per test. */
    protected final AdapterType adapterType() {
        if (type == null) {
            try {
                type = testedFactory().type();
            } catch (RuntimeException e) {
                throw new AssertionError("factory().type() failed: " + e.getMessage(), e);
            }
            assertNotNull(type, "factory().type() returned null");
        }
        return type;
    }

    @Test
    @DisplayName("type: id, vendor, domains, description and a complete privacy manifest")
    public void typeIsComplete() {
        AdapterType t = adapterType();
        List<String> problems = new ArrayList<>();
        if (t.id() == null || !t.id().matches("[a-z0-9][a-z0-9-]{0,62}")) {
            problems.add("id '" + t.id() + "' must be 1-63 lower-case letters, digits and dashes");
        }
        if (isBlank(t.vendor())) {
            problems.add("vendor is blank");
        }
        if (t.domains() == null || t.domains().isEmpty()) {
            problems.add("domains is empty; name the domains of its things, e.g. safety");
        }
        if (isBlank(t.description())) {
            problems.add("description is blank");
        }
        PrivacyManifest privacy = t.privacy();
        if (privacy == null) {
            problems.add("privacy manifest is missing");
        } else {
            if (privacy.dataCategories().isEmpty()) {
                problems.add("privacy manifest: dataCategories is empty");
            }
            if (isBlank(privacy.purpose())) {
                problems.add("privacy manifest: purpose is blank");
            }
            if (privacy.legalGround() == null) {
                problems.add("privacy manifest: legalGround is missing");
            }
            if (privacy.retention() == null || privacy.retention().isNegative() || privacy.retention().isZero()) {
                problems.add("privacy manifest: retention must be positive, was " + privacy.retention());
            }
            if (privacy.fields().isEmpty()) {
                problems.add("privacy manifest: fields is empty");
            }
            for (String field : privacy.fields()) {
                String[] segments = field.replaceFirst("^/", "").split("/");
                if (field.equals("/") || segments.length == 0 || segments[0].isEmpty() || segments[0].equals("*")) {
                    problems.add("privacy manifest: field '" + field + "' declares the whole thing; list the fields, "
                            + "e.g. /features/noise/properties/laeq");
                }
            }
        }
        if (!problems.isEmpty()) {
            fail("adapter type " + t.id() + ": " + String.join("; ", problems));
        }
    }

    @Test
    @DisplayName("create(configuration()) gives an adapter with an inbound transport")
    public void createsAnAdapter() {
        SensorAdapter created = adapter();
        assertNotNull(created.inbound(), "adapter " + adapterType().id() + ": inbound() returned null");
    }

    @TestFactory
    @DisplayName("samples map to valid things")
    public Stream<DynamicTest> samplesMapToValidThings() {
        return checkedSamples().stream().map(sample -> DynamicTest.dynamicTest("sample '" + sample.name() + "'", () -> {
            List<ThingUpdate> updates = mapSample(sample);
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < updates.size(); i++) {
                ThingUpdate update = updates.get(i);
                if (update == null) {
                    problems.add("update " + i + " is null");
                    continue;
                }
                for (String problem : ThingChecks.validate(update, adapterType())) {
                    problems.add("update " + i + " (" + update.thingId() + "): " + problem);
                }
            }
            if (!problems.isEmpty()) {
                fail("sample '" + sample.name() + "' does not map to valid things: " + String.join("; ", problems));
            }
        }));
    }

    @TestFactory
    @DisplayName("mapped fields are declared in the privacy manifest")
    public Stream<DynamicTest> mappedFieldsAreDeclared() {
        return checkedSamples().stream().map(sample -> DynamicTest.dynamicTest("sample '" + sample.name() + "'", () -> {
            List<String> undeclared = new ArrayList<>();
            for (ThingUpdate update : mapSample(sample)) {
                if (update != null) {
                    for (String pointer : ThingChecks.undeclared(update, adapterType().privacy())) {
                        if (!undeclared.contains(pointer)) {
                            undeclared.add(pointer);
                        }
                    }
                }
            }
            if (!undeclared.isEmpty()) {
                fail("sample '" + sample.name() + "' writes fields the privacy manifest of " + adapterType().id()
                        + " does not declare: " + String.join(", ", undeclared) + " (declared: "
                        + adapterType().privacy().fields() + ")");
            }
        }));
    }

    @TestFactory
    @DisplayName("malformed input is rejected with a reason")
    public Stream<DynamicTest> malformedInputIsRejected() {
        List<MalformedInput.Source> sources = checkedSamples().stream()
                .map(s -> new MalformedInput.Source(s.name(), s.origin(), s.attributes(), s.payload()))
                .collect(Collectors.toList());
        List<MalformedInput> corpus = MalformedInput.corpus(sources, SEED);
        List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        return corpus.stream()
                .map(input -> DynamicTest.dynamicTest((input.garbage() ? "garbage: " : "variant: ") + input.name(),
                        () -> checkMalformed(input, accepted)))
                .onClose(() -> System.out.println("adapter " + adapterType().id() + ": accepted " + accepted.size() + " of "
                        + corpus.size() + " malformed inputs" + (accepted.isEmpty() ? "" : ": " + accepted)));
    }

    @Test
    @DisplayName("throughput on one thread (printed, not asserted)")
    public void throughput() {
        List<InboundMessage> messages = checkedSamples().stream().map(Sample::message).collect(Collectors.toList());
        SensorAdapter instance = adapter();
        runFor(instance, messages, WARM_UP_NANOS);
        long start = System.nanoTime();
        long count = runFor(instance, messages, MEASURE_NANOS);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println("adapter " + adapterType().id() + ": " + Math.round(count / seconds)
                + " payloads/s on one thread");
        assertTrue(sink > 0, "the samples mapped to no updates during the throughput run");
    }

    @AfterEach
    public void closeAdapter() {
        if (adapter != null) {
            SensorAdapter closing = adapter;
            adapter = null;
            closing.close();
        }
    }

    private long runFor(SensorAdapter instance, List<InboundMessage> messages, long nanos) {
        long end = System.nanoTime() + nanos;
        long count = 0;
        int next = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 64; i++) {
                InboundMessage message = messages.get(next);
                next = next + 1 == messages.size() ? 0 : next + 1;
                try {
                    sink += instance.map(message).size();
                } catch (PayloadRejectedException | RuntimeException e) {
                    throw new AssertionError("throughput run: sample from " + message.origin() + " failed: "
                            + e.getMessage(), e);
                }
                count++;
            }
        }
        return count;
    }

    private void checkMalformed(MalformedInput input, List<String> accepted) {
        SensorAdapter instance = adapter();
        List<ThingUpdate> updates;
        try {
            updates = instance.map(input.message(Sample.RECEIVED_AT));
        } catch (PayloadRejectedException e) {
            assertFalse(isBlank(e.getMessage()), "input '" + input.name()
                    + "' was rejected with a blank reason; say what is wrong and what was expected");
            return;
        } catch (Throwable e) { // StackOverflowError included: the hub's worker would die the same way
            throw new AssertionError("input '" + input.name() + "': map() threw " + e
                    + "; expected a PayloadRejectedException with the reason", e);
        }
        assertNotNull(updates, "input '" + input.name() + "': map() returned null; return an empty list instead");
        if (input.garbage() && !updates.isEmpty()) {
            fail("input '" + input.name() + "' is garbage but map() returned " + updates.size()
                    + " update(s), e.g. " + updates.get(0) + "; expected a PayloadRejectedException");
        }
        accepted.add(input.name() + " (" + updates.size() + " updates)");
    }

    private List<ThingUpdate> mapSample(Sample sample) {
        List<ThingUpdate> updates;
        try {
            updates = adapter().map(sample.message());
        } catch (PayloadRejectedException e) {
            throw new AssertionError("sample '" + sample.name() + "' was rejected: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new AssertionError("sample '" + sample.name() + "': map() threw " + e, e);
        }
        assertNotNull(updates, "sample '" + sample.name() + "': map() returned null");
        assertFalse(updates.isEmpty(), "sample '" + sample.name() + "' mapped to no updates; a sample must map to "
                + "at least one");
        return updates;
    }

    private List<Sample> checkedSamples() {
        List<Sample> samples = samples();
        assertNotNull(samples, "samples() returned null");
        assertFalse(samples.isEmpty(), "samples() must return at least one sample");
        assertEquals(samples.size(), samples.stream().map(Sample::name).distinct().count(),
                "sample names must be unique: " + samples);
        return samples;
    }

    private AdapterFactory testedFactory() {
        if (factory == null) {
            factory = factory();
            assertNotNull(factory, "factory() returned null");
        }
        return factory;
    }

    private SensorAdapter adapter() {
        if (adapter == null) {
            AdapterConfiguration configuration = configuration();
            try {
                adapter = testedFactory().create(configuration);
            } catch (Exception e) {
                throw new AssertionError("create(" + configuration + ") failed: " + e.getMessage(), e);
            }
            assertNotNull(adapter, "create(" + configuration + ") returned null");
        }
        return adapter;
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
