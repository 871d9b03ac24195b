package nl.lantaarn.adapter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.testkit.ExampleAdapters.Flaw;

/** Runs the kit against well-behaved and broken adapters and checks that it passes and fails the right tests. */
class AdapterConformanceTestTest {

    static class WellBehaved extends AdapterConformanceTest {
        @Override
        protected AdapterFactory factory() {
            return ExampleAdapters.factory(Flaw.NONE);
        }

        @Override
        protected List<Sample> samples() {
            return ExampleAdapters.samples();
        }
    }

    static class LeaksUndeclaredField extends WellBehaved {
        @Override
        protected AdapterFactory factory() {
            return ExampleAdapters.factory(Flaw.UNDECLARED_FIELD);
        }
    }

    static class ThrowsNpeOnGarbage extends WellBehaved {
        @Override
        protected AdapterFactory factory() {
            return ExampleAdapters.factory(Flaw.NPE_ON_GARBAGE);
        }
    }

    static class WritesOtherDomain extends WellBehaved {
        @Override
        protected AdapterFactory factory() {
            return ExampleAdapters.factory(Flaw.WRONG_DOMAIN);
        }
    }

    private static Events run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute().testEvents();
    }

    private static List<String> failedNames(Events events) {
        return events.failed().stream().map(e -> e.getTestDescriptor().getDisplayName())
                .collect(Collectors.toList());
    }

    private static String failureMessages(Events events) {
        return events.failed().stream()
                .map(Event::getPayload)
                .map(p -> p.map(Object::toString).orElse(""))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void aWellBehavedAdapterPassesEveryCheck() {
        Events events = run(WellBehaved.class);
        assertThat(failedNames(events)).as(failureMessages(events)).isEmpty();
        // type, create, throughput, 2 samples x 2 checks, and the whole malformed corpus
        assertThat(events.succeeded().count()).isGreaterThan(3 + 4 + 10);
    }

    @Test
    void anUndeclaredFieldFailsThePrivacyCheckForEachSample() {
        Events events = run(LeaksUndeclaredField.class);
        assertThat(failedNames(events)).containsExactly("sample 'n-1'", "sample 'n-2'");
        assertThat(failureMessages(events))
                .contains("does not declare: /attributes/owner")
                .doesNotContain("/features/level/properties/level");
    }

    @Test
    void anNpeOnGarbageFailsTheMalformedChecks() {
        Events events = run(ThrowsNpeOnGarbage.class);
        assertThat(failedNames(events)).contains("garbage: empty payload", "garbage: random binary (512 bytes, seed 20261124)",
                "garbage: invalid UTF-8 bytes", "garbage: 10000 nested arrays", "garbage: truncated to half of 'n-1'");
        assertThat(failedNames(events)).allMatch(name -> name.startsWith("garbage: ") || name.startsWith("variant: "));
        assertThat(failureMessages(events)).contains("NullPointerException");
    }

    @Test
    void aThingOutsideTheTypesDomainsFailsTheThingCheck() {
        Events events = run(WritesOtherDomain.class);
        assertThat(failedNames(events)).containsExactly("sample 'n-1'", "sample 'n-2'");
        assertThat(failureMessages(events)).contains("domain 'lighting' is not one of the adapter type's domains");
    }
}
