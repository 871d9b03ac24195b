package nl.lantaarn.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.adapter.admin.AdapterAdmin;
import nl.lantaarn.adapter.admin.AdapterState;
import nl.lantaarn.adapter.admin.AdapterStatus;
import nl.lantaarn.adapter.admin.CommandCounters;
import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.routing.api.RouteAdmin;
import nl.lantaarn.routing.api.RouteStatus;
import nl.lantaarn.twin.api.TwinService;

/**
 * {@code GET /metrics} in the Prometheus text exposition format (version 0.0.4): per adapter instance its counters,
 * state, inbox, mapping time and commands, from the adapter runtime's status snapshots; per route its message
 * counters; the number of dead letters and things; then what this bundle's other components count
 * ({@link MetricsSource}: the request audit and the rate limit).
 * Written directly: every value is already counted by the services, so no metrics library is needed to keep them.
 */
final class MetricsRoute {

    private static final String COUNTER = "counter";
    private static final String GAUGE = "gauge";

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<AdapterAdmin> admin;
    private final Supplier<RouteAdmin> routes;
    private final DeadLetterService deadLetters;
    private final TwinService twin;
    private final Iterable<MetricsSource> more;

    MetricsRoute(Supplier<AdapterAdmin> admin, Supplier<RouteAdmin> routes, DeadLetterService deadLetters,
            TwinService twin, Iterable<MetricsSource> more) {
        this.admin = admin;
        this.routes = routes;
        this.deadLetters = deadLetters;
        this.twin = twin;
        this.more = more;
    }

    void handle(HttpServletResponse response) throws IOException {
        StringBuilder text = new StringBuilder(render(admin.get(), routes.get(), deadLetters.count(), twin.size()));
        more.forEach(source -> source.appendMetrics(text));
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static String render(AdapterAdmin runtime, RouteAdmin routing, long deadLetterCount, long thingCount) {
        StringBuilder out = new StringBuilder(4096);
        List<AdapterStatus> adapters = runtime == null ? List.of() : runtime.list();
        gauge(out, "lantaarn_adapter_runtime_up", "1 when the adapter runtime is running, else 0.");
        out.append("lantaarn_adapter_runtime_up ").append(runtime == null ? 0 : 1).append('\n');

        counter(out, adapters, "lantaarn_adapter_received_total", "Payloads an adapter instance received.",
                AdapterStatus::received);
        counter(out, adapters, "lantaarn_adapter_mapped_total", "Payloads mapped without rejection.",
                AdapterStatus::mapped);
        counter(out, adapters, "lantaarn_adapter_rejected_total", "Payloads the adapter rejected.",
                AdapterStatus::rejected);
        counter(out, adapters, "lantaarn_adapter_dead_lettered_total",
                "Payloads kept as dead letters, for any reason.", AdapterStatus::deadLettered);
        counter(out, adapters, "lantaarn_adapter_thing_updates_total", "Thing updates applied to the twin.",
                AdapterStatus::thingUpdates);
        counter(out, adapters, "lantaarn_adapter_undeclared_fields_total", "Fields of thing updates that the "
                + "adapter's privacy manifest does not declare, dropped before storage.",
                AdapterStatus::undeclaredFields);

        gauge(out, "lantaarn_adapter_state", "The state of an adapter instance: 1 for its current state, 0 for the "
                + "others.");
        for (AdapterStatus status : adapters) {
            for (AdapterState state : AdapterState.values()) {
                out.append("lantaarn_adapter_state{adapter=\"").append(label(status.id())).append("\",type=\"")
                        .append(label(status.type())).append("\",state=\"").append(state.name()).append("\"} ")
                        .append(state == status.state() ? 1 : 0).append('\n');
            }
        }
        gauge(out, adapters, "lantaarn_adapter_inbox_size", "Payloads waiting in the inbox.",
                AdapterStatus::inboxSize);
        gauge(out, adapters, "lantaarn_adapter_inbox_capacity", "The inbox bound.",
                AdapterStatus::inboxCapacity);
        gauge(out, adapters, "lantaarn_adapter_mapping_seconds_mean", "Mean time of one map call, in seconds.",
                status -> status.meanMappingMicros() / 1e6);
        gauge(out, adapters, "lantaarn_adapter_mapping_seconds_max", "Longest map call since the hub started, in "
                + "seconds.", status -> status.maxMappingMicros() / 1e6);
        gauge(out, "lantaarn_adapter_last_received_timestamp_seconds", "When the last payload arrived (Unix time).");
        for (AdapterStatus status : adapters) {
            if (status.lastReceivedAt() != null) {
                sample(out, "lantaarn_adapter_last_received_timestamp_seconds", status,
                        status.lastReceivedAt().toEpochMilli() / 1000.0);
            }
        }

        List<CommandSample> commands = new ArrayList<>(adapters.size());
        for (AdapterStatus status : adapters) {
            runtime.commands(status.id()).ifPresent(c -> commands.add(new CommandSample(status, c)));
        }
        Function<CommandSample, String> commandLabels = sample -> adapterLabels(sample.status());
        family(out, "lantaarn_adapter_commands_sent_total", COUNTER, "Commands sent to the vendor.", commands,
                commandLabels, sample -> sample.counters().sent());
        family(out, "lantaarn_adapter_commands_acknowledged_total", COUNTER, "Commands the vendor acknowledged.",
                commands, commandLabels, sample -> sample.counters().acknowledged());
        family(out, "lantaarn_adapter_commands_retried_total", COUNTER,
                "Commands sent again after a missing acknowledgement.", commands, commandLabels,
                sample -> sample.counters().retried());
        family(out, "lantaarn_adapter_commands_failed_total", COUNTER,
                "Commands given up on (refused, answered with an error, or never acknowledged).", commands,
                commandLabels, sample -> sample.counters().failed());
        family(out, "lantaarn_adapter_commands_waiting", GAUGE, "Commands waiting for an acknowledgement.", commands,
                commandLabels, sample -> sample.counters().waiting());

        renderRoutes(out, routing == null ? List.of() : routing.list());

        gauge(out, "lantaarn_dead_letters", "Dead letters held.");
        out.append("lantaarn_dead_letters ").append(deadLetterCount).append('\n');
        gauge(out, "lantaarn_things", "Things in the twin.");
        out.append("lantaarn_things ").append(thingCount).append('\n');
        return out.toString();
    }

    private record CommandSample(AdapterStatus status, CommandCounters counters) {
    }

    /** Per route its message counters, labelled with the route id. */
    private static void renderRoutes(StringBuilder out, List<RouteStatus> routes) {
        Function<RouteStatus, String> labels = route -> "route=\"" + label(route.id()) + '"';
        family(out, "lantaarn_route_in_total", COUNTER, "Messages that entered a route.", routes, labels,
                RouteStatus::in);
        family(out, "lantaarn_route_out_total", COUNTER, "Messages that completed a route without an error.", routes,
                labels, RouteStatus::out);
        family(out, "lantaarn_route_failed_total", COUNTER, "Messages that ended with an unhandled error.", routes,
                labels, RouteStatus::failed);
        family(out, "lantaarn_route_retried_total", COUNTER, "Redelivery attempts of a route's error handler.", routes,
                labels, RouteStatus::retried);
        family(out, "lantaarn_route_dead_lettered_total", COUNTER, "Messages of a route kept as dead letters.",
                routes, labels, RouteStatus::deadLettered);
        family(out, "lantaarn_route_suppressed_total", COUNTER, "Alerts not sent again within the de-duplication "
                + "window.", routes, labels, RouteStatus::suppressed);
        family(out, "lantaarn_route_confirmed_total", COUNTER, "Parked actions an operator confirmed.", routes,
                labels, RouteStatus::confirmed);
        family(out, "lantaarn_route_rejected_total", COUNTER, "Parked actions an operator rejected.", routes, labels,
                RouteStatus::rejected);
        family(out, "lantaarn_route_expired_total", COUNTER, "Parked actions nobody decided on in time.", routes,
                labels, RouteStatus::expired);
    }

    /** One metric family: its HELP and TYPE lines, then a sample per item with the item's labels. */
    private static <T> void family(StringBuilder out, String name, String type, String help, List<T> items,
            Function<T, String> labels, Function<T, Number> value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (T item : items) {
            out.append(name).append('{').append(labels.apply(item)).append("} ").append(number(value.apply(item)))
                    .append('\n');
        }
    }

    private static String adapterLabels(AdapterStatus status) {
        return "adapter=\"" + label(status.id()) + "\",type=\"" + label(status.type()) + '"';
    }

    private static void counter(StringBuilder out, List<AdapterStatus> adapters, String name, String help,
            Function<AdapterStatus, Number> value) {
        family(out, name, COUNTER, help, adapters, MetricsRoute::adapterLabels, value);
    }

    private static void gauge(StringBuilder out, List<AdapterStatus> adapters, String name, String help,
            Function<AdapterStatus, Number> value) {
        family(out, name, GAUGE, help, adapters, MetricsRoute::adapterLabels, value);
    }

    private static void gauge(StringBuilder out, String name, String help) {
        family(out, name, GAUGE, help, List.of(), item -> "", item -> 0);
    }

    private static void sample(StringBuilder out, String name, AdapterStatus status, Number value) {
        out.append(name).append('{').append(adapterLabels(status)).append("} ").append(number(value)).append('\n');
    }

    private static String number(Number value) {
        if (value instanceof Double d) {
            if (d.isNaN()) {
                return "NaN";
            }
            if (d.isInfinite()) {
                return d > 0 ? "+Inf" : "-Inf";
            }
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : Double.toString(d);
        }
        return value.toString();
    }

    /** A label value: backslash, double quote and line feed escaped, as the format requires. */
    static String label(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
