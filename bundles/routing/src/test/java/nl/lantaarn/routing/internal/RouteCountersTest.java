package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.junit.jupiter.api.Test;

import nl.lantaarn.routing.api.RouteStatus;

class RouteCountersTest extends RoutingTestSupport {

    private static final String ROUTES = """
            - route:
                id: handled
                errorHandler:
                  deadLetterChannel:
                    deadLetterUri: log:dead
                from:
                  uri: direct:handled
                  steps:
                    - filter:
                        simple: "${body} == 'bad'"
                        steps:
                          - throwException:
                              exceptionType: java.lang.IllegalStateException
                              message: bad input
            """ + METADATA + """
            - route:
                id: unhandled
                from:
                  uri: direct:unhandled
                  steps:
                    - throwException:
                        exceptionType: java.lang.IllegalStateException
                        message: always fails
            """ + METADATA + """
            - route:
                id: retrying
                errorHandler:
                  defaultErrorHandler:
                    redeliveryPolicy:
                      maximumRedeliveries: 3
                      redeliveryDelay: "0"
                from:
                  uri: direct:retrying
                  steps:
                    - process:
                        ref: flaky
            """ + METADATA;

    /** Fails the first {@code failures} times it is called for a body, then lets it through. */
    private static final class Flaky implements Processor {
        private final Map<Object, AtomicInteger> calls = new ConcurrentHashMap<>();

        @Override
        public void process(Exchange exchange) {
            String body = exchange.getMessage().getBody(String.class);
            int failures = Integer.parseInt(body.substring(body.indexOf(':') + 1));
            if (calls.computeIfAbsent(body, b -> new AtomicInteger()).incrementAndGet() <= failures) {
                throw new IllegalStateException("flaky: " + body);
            }
        }
    }

    @Test
    void countsInOutFailedAndDeadLetteredPerRouteAcrossReloads() {
        write("counted.yaml", ROUTES);
        beans.put("flaky", new Flaky());
        start();
        var template = runtime.context().createProducerTemplate();

        template.sendBody("direct:handled", "good");
        template.sendBody("direct:handled", "bad");
        template.sendBody("direct:handled", "good");
        template.send("direct:unhandled", exchange -> exchange.getMessage().setBody("x"));

        RouteStatus handled = status("handled");
        assertThat(handled.in()).isEqualTo(3);
        assertThat(handled.out()).isEqualTo(2);
        assertThat(handled.deadLettered()).isEqualTo(1);
        assertThat(handled.failed()).isZero();
        RouteStatus unhandled = status("unhandled");
        assertThat(unhandled.in()).isEqualTo(1);
        assertThat(unhandled.failed()).isEqualTo(1);
        assertThat(unhandled.out()).isZero();

        // two redeliveries then through, none, and four attempts in all (three redeliveries) that all fail
        template.sendBody("direct:retrying", "a:2");
        template.sendBody("direct:retrying", "b:0");
        template.send("direct:retrying", exchange -> exchange.getMessage().setBody("c:9"));
        RouteStatus retrying = status("retrying");
        assertThat(retrying.in()).isEqualTo(3);
        assertThat(retrying.out()).isEqualTo(2);
        assertThat(retrying.failed()).isEqualTo(1);
        assertThat(retrying.retried()).isEqualTo(2 + 3);
        assertThat(handled.retried()).isZero();

        // a reload of the file keeps the counts
        write("counted.yaml", ROUTES.replace("owner: tests", "owner: reloaded"));
        await().until(() -> runtime.routeStatus().stream().anyMatch(s -> s.id().equals("handled")
                && s.owner().equals("reloaded")));
        awaitStarted("handled");
        template.sendBody("direct:handled", "good");
        assertThat(status("handled").in()).isEqualTo(4);
        assertThat(runtime.health().detail()).contains("handled (in 4, out 3, failed 0, dead-lettered 1, suppressed 0)",
                "unhandled (in 1, out 0, failed 1, dead-lettered 0, suppressed 0)",
                "retrying (in 3, out 2, failed 1, retried 5, dead-lettered 0, suppressed 0)");
    }
}
