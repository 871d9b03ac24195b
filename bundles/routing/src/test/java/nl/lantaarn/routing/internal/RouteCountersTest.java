package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
            """ + METADATA;

    @Test
    void countsInOutFailedAndDeadLetteredPerRouteAcrossReloads() {
        write("counted.yaml", ROUTES);
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

        // a reload of the file keeps the counts
        write("counted.yaml", ROUTES.replace("owner: tests", "owner: reloaded"));
        await().until(() -> runtime.routeStatus().stream().anyMatch(s -> s.id().equals("handled")
                && s.owner().equals("reloaded")));
        awaitStarted("handled");
        template.sendBody("direct:handled", "good");
        assertThat(status("handled").in()).isEqualTo(4);
        assertThat(runtime.health().detail()).contains("handled (in 4, out 3, failed 0, dead-lettered 1, suppressed 0)",
                "unhandled (in 1, out 0, failed 1, dead-lettered 0, suppressed 0)");
    }
}
