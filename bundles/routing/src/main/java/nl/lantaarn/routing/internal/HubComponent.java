package nl.lantaarn.routing.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import nl.lantaarn.routing.api.PendingAction;
import nl.lantaarn.twin.api.TwinEvent;

/**
 * The {@code hub} Camel component: {@code hub:events?namespace=&thing=&domain=&feature=&definition=} consumes the
 * twin's change events; {@code hub:alert?channels=&severity=&title=&dedupWindow=} raises alerts through the
 * notification service; {@code hub:command?feature=&thing=&nearThing=&radius=&namespace=} sets desired properties in
 * the twin; {@code hub:confirm?action=&then=&timeout=} parks a message until an operator confirms it. The routing
 * component feeds every twin event to {@link #dispatch(TwinEvent)}.
 */
final class HubComponent extends DefaultComponent {

    static final String SCHEME = "hub";
    static final String EVENTS = "events";
    static final String ALERT = "alert";
    static final String COMMAND = "command";
    static final String CONFIRM = "confirm";
    /** The longest a parked action may wait for a decision. */
    static final Duration MAX_CONFIRM_TIMEOUT = Duration.ofDays(7);
    /** Bounds the action text people read. */
    static final int MAX_ACTION_CHARS = 200;
    private static final List<String> SEVERITIES = List.of("info", "warning", "critical");

    /** Told about every event a started consumer could not take, or that failed in its route. */
    interface UndeliveredHandler {
        void undelivered(HubConsumer consumer, TwinEventView event, String reason);

        void failed(HubConsumer consumer, TwinEventView event, Throwable failure);

        /** A confirmed action failed at its {@code then} endpoint (Camel has not necessarily logged it). */
        void confirmedFailed(PendingAction action, String then, Throwable failure, String body);
    }

    private final List<HubConsumer> consumers = new CopyOnWriteArrayList<>();
    private final int queueCapacity;
    private final UndeliveredHandler undelivered;
    private final HubServices services;
    private final PendingActions pendingActions;

    HubComponent(int queueCapacity, UndeliveredHandler undelivered, HubServices services,
            PendingActions pendingActions) {
        this.queueCapacity = queueCapacity;
        this.undelivered = undelivered;
        this.services = services;
        this.pendingActions = pendingActions;
    }

    PendingActions pendingActions() {
        return pendingActions;
    }

    void confirmedFailed(PendingAction action, String then, Throwable failure, String body) {
        undelivered.confirmedFailed(action, then, failure, body);
    }

    HubServices services() {
        return services;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (ALERT.equals(remaining)) {
            return alertEndpoint(uri, parameters);
        }
        if (COMMAND.equals(remaining)) {
            return commandEndpoint(uri, parameters);
        }
        if (CONFIRM.equals(remaining)) {
            return confirmEndpoint(uri, parameters);
        }
        if (!EVENTS.equals(remaining)) {
            throw new IllegalArgumentException("hub:" + remaining + " is not a hub endpoint; the hub component offers "
                    + "hub:events?namespace=&thing=&domain=&feature=&definition=, "
                    + "hub:alert?channels=&severity=&title=&dedupWindow= and "
                    + "hub:command?feature=&thing=&nearThing=&radius=&namespace= and "
                    + "hub:confirm?action=&then=&timeout=");
        }
        HubFilter filter = new HubFilter(
                getAndRemoveParameter(parameters, "namespace", String.class),
                getAndRemoveParameter(parameters, "thing", String.class),
                getAndRemoveParameter(parameters, "domain", String.class),
                getAndRemoveParameter(parameters, "feature", String.class),
                getAndRemoveParameter(parameters, "definition", String.class));
        // parameters left over are reported by Camel as unknown, naming them
        return new HubEndpoint(uri, this, filter);
    }

    private Endpoint alertEndpoint(String uri, Map<String, Object> parameters) throws Exception {
        String channelList = getAndRemoveParameter(parameters, "channels", String.class);
        List<String> channels = channelList == null ? List.of() : Arrays.stream(channelList.split(","))
                .map(String::trim).filter(c -> !c.isEmpty()).toList();
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("hub:alert needs channels=<name>[,<name>...]: the notification "
                    + "channels to send the alert on");
        }
        String severity = getAndRemoveParameter(parameters, "severity", String.class, "warning").trim();
        if (!SEVERITIES.contains(severity)) {
            throw new IllegalArgumentException("hub:alert severity=" + severity + " is not a severity; use one of "
                    + SEVERITIES);
        }
        String title = getAndRemoveParameter(parameters, "title", String.class);
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("hub:alert needs title=<one line for people>");
        }
        String window = getAndRemoveParameter(parameters, "dedupWindow", String.class, "PT5M").trim();
        Duration dedupWindow;
        try {
            dedupWindow = Duration.parse(window);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("hub:alert dedupWindow=" + window + " is not an ISO-8601 duration; "
                    + "write e.g. PT5M (5 minutes), PT30S, or PT0S for no de-duplication");
        }
        if (dedupWindow.isNegative()) {
            throw new IllegalArgumentException("hub:alert dedupWindow=" + window + " is negative");
        }
        return new HubAlertEndpoint(uri, this, channels, severity, title.trim(), dedupWindow);
    }

    private Endpoint commandEndpoint(String uri, Map<String, Object> parameters) throws Exception {
        String feature = getAndRemoveParameter(parameters, "feature", String.class);
        if (feature == null || feature.isBlank() || feature.contains("/")) {
            throw new IllegalArgumentException("hub:command needs feature=<feature id>, e.g. feature=lamp: the "
                    + "feature whose desired properties are set");
        }
        String thing = getAndRemoveParameter(parameters, "thing", String.class);
        boolean nearThing = getAndRemoveParameter(parameters, "nearThing", Boolean.class, Boolean.FALSE);
        Double radius = getAndRemoveParameter(parameters, "radius", Double.class);
        String namespace = getAndRemoveParameter(parameters, "namespace", String.class);
        if (nearThing && (radius == null || !(radius > 0) || radius > 100_000)) {
            throw new IllegalArgumentException("hub:command with nearThing=true needs radius=<metres>, more than 0 "
                    + "and at most 100000, was " + radius);
        }
        if (!nearThing && (radius != null || namespace != null)) {
            throw new IllegalArgumentException("hub:command: radius and namespace only apply with nearThing=true");
        }
        return new HubCommandEndpoint(uri, this, feature.trim(), blankToNull(thing), nearThing,
                radius == null ? 0 : radius, blankToNull(namespace));
    }

    private Endpoint confirmEndpoint(String uri, Map<String, Object> parameters) throws Exception {
        String action = getAndRemoveParameter(parameters, "action", String.class);
        if (action == null || action.isBlank() || action.length() > MAX_ACTION_CHARS) {
            throw new IllegalArgumentException("hub:confirm needs action=<what happens on confirmation, for people, "
                    + "at most " + MAX_ACTION_CHARS + " characters>, e.g. action=Send the police to the location");
        }
        String then = getAndRemoveParameter(parameters, "then", String.class);
        if (then == null || then.isBlank()) {
            throw new IllegalArgumentException("hub:confirm needs then=<endpoint>, e.g. then=direct:dispatch-police: "
                    + "the route a confirmed message continues in");
        }
        String text = getAndRemoveParameter(parameters, "timeout", String.class, "PT10M").trim();
        Duration timeout;
        try {
            timeout = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("hub:confirm timeout=" + text + " is not an ISO-8601 duration; write "
                    + "e.g. PT10M (10 minutes) or PT1H");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_CONFIRM_TIMEOUT) > 0) {
            throw new IllegalArgumentException("hub:confirm timeout=" + text + " must be more than 0 and at most "
                    + MAX_CONFIRM_TIMEOUT);
        }
        return new HubConfirmEndpoint(uri, this, action.trim(), then.trim(), timeout);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Hands the event to every started consumer whose filters match; never blocks. */
    void dispatch(TwinEvent event) {
        if (consumers.isEmpty()) {
            return;
        }
        TwinEventView view = TwinEventView.of(event);
        for (HubConsumer consumer : consumers) {
            if (consumer.filter().matches(view)) {
                consumer.submit(view);
            }
        }
    }

    int queueCapacity() {
        return queueCapacity;
    }

    void register(HubConsumer consumer) {
        consumers.add(consumer);
    }

    void unregister(HubConsumer consumer) {
        consumers.remove(consumer);
    }

    void undelivered(HubConsumer consumer, TwinEventView event, String reason) {
        undelivered.undelivered(consumer, event, reason);
    }

    void failed(HubConsumer consumer, TwinEventView event, Throwable failure) {
        undelivered.failed(consumer, event, failure);
    }
}
