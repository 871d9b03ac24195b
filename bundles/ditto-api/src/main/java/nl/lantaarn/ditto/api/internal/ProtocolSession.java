package nl.lantaarn.ditto.api.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoJsonException;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonRuntimeException;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.JsonifiableAdaptable;
import org.eclipse.ditto.protocol.Payload;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.TopicPath;
import org.eclipse.ditto.protocol.adapter.DittoProtocolAdapter;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;
import org.eclipse.ditto.things.model.signals.commands.ThingErrorResponse;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThings;
import org.eclipse.ditto.thingsearch.model.signals.commands.ThingSearchCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Authenticator;
import nl.lantaarn.security.api.Role;
import nl.lantaarn.twin.api.TwinEvent;

/**
 * The Ditto protocol of one WebSocket connection, independent of the socket: text in, text out through an
 * {@link Outbound}. JSON messages are Ditto protocol envelopes, read and written by Ditto's own
 * {@link DittoProtocolAdapter}; other text is a protocol message such as {@code START-SEND-EVENTS}. Every message that
 * cannot be served is answered with a Ditto error naming the problem (with the request's correlation id, so that the
 * client's pending call fails with it); the connection stays open. The connection's {@link ApiClient} decides what
 * it may do: role reader to retrieve, search and receive events, role writer to write, and within that what the
 * hub's access policies let it read and write ({@link Enforcement}).
 * <p>
 * Messages of one connection are handled one after the other (Jetty calls {@link #onText} serially); twin events
 * arrive concurrently through {@link #onEvent}.
 */
final class ProtocolSession {

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolSession.class);
    private static final DittoProtocolAdapter ADAPTER = DittoProtocolAdapter.newInstance();

    private static final String START_EVENTS = "START-SEND-EVENTS";
    private static final String STOP_EVENTS = "STOP-SEND-EVENTS";
    private static final Set<String> UNSUPPORTED_STREAMS = Set.of("START-SEND-MESSAGES", "START-SEND-LIVE-COMMANDS",
            "START-SEND-LIVE-EVENTS");
    private static final Set<String> UNSUPPORTED_STREAM_STOPS = Set.of("STOP-SEND-MESSAGES",
            "STOP-SEND-LIVE-COMMANDS", "STOP-SEND-LIVE-EVENTS");
    private static final String JWT_TOKEN = "JWT-TOKEN";
    /** Deepest JSON nesting read; deeper input is refused before parsing (the parser recurses per level). */
    static final int MAX_NESTING = 64;

    /** The twin events this session asked for: which, and which extra fields to add. */
    private record EventSubscription(ThingPredicate predicate, JsonFieldSelector extraFields) {
    }

    private final Enforcement enforcement;
    private final TwinCommands commands;
    private final SearchSubscriptions search;
    private final Authenticator authenticator;
    private final int maxMessageChars;
    private final Outbound out;
    /** The connection's client, known at the upgrade; a JWT-TOKEN refresh replaces it (its roles may have changed). */
    private volatile ApiClient client;
    private volatile EventSubscription events;

    ProtocolSession(ApiClient client, Enforcement enforcement, TwinCommands commands, SearchSubscriptions search,
            Authenticator authenticator, int maxMessageChars, Outbound out) {
        this.client = client;
        this.enforcement = enforcement;
        this.commands = commands;
        this.search = search;
        this.authenticator = authenticator;
        this.maxMessageChars = maxMessageChars;
        this.out = out;
    }

    /** One text message from the client. */
    void onText(String text) {
        if (text.length() > maxMessageChars) {
            sendError(new HubRefusalException(HubRefusalException.PROTOCOL_INVALID, HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                    "The message has " + text.length() + " characters; at most " + maxMessageChars
                            + " are accepted.",
                    "Send a large thing in parts (one feature per message) or ask the operator to raise "
                            + "maxMessageBytes.", DittoHeaders.empty()), null);
            return;
        }
        String trimmed = text.strip();
        try {
            if (trimmed.startsWith("{")) {
                onEnvelope(trimmed);
            } else {
                onProtocolMessage(trimmed);
            }
        } catch (DittoRuntimeException e) {
            sendError(e, null);
        } catch (RuntimeException e) {
            // a message no check above foresaw: answered, never thrown into the WebSocket (which would close it)
            LOG.warn("Ditto client {}: message not handled ({})", client.name(), e.toString(), e);
            sendError(new HubRefusalException(HubRefusalException.PROTOCOL_INVALID, HttpStatus.BAD_REQUEST,
                    "The message cannot be read as the Ditto protocol: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    "Send a Ditto protocol envelope (JSON with 'topic', 'headers', 'path' and 'value') or a protocol "
                            + "message such as START-SEND-EVENTS.", DittoHeaders.empty()), null);
        }
    }

    /**
     * A twin event; sent when this session asked for events, the event passes its filter, and the client's access
     * policies let it read the changed part (or some of it: then the value is cut to what it may read). A filter
     * matches only when the client may read every path it reads.
     *
     * @param json {@code adaptable} as JSON, made once for every session that may read all of it
     */
    void onEvent(TwinEvent event, Adaptable adaptable, String json) {
        EventSubscription subscription = events;
        ApiClient current = client;
        if (subscription == null || !current.may(Role.READER) || !subscription.predicate().test(event.thing())) {
            return;
        }
        boolean everything = enforcement.readsEverything(current);
        Optional<Adaptable> visible;
        if (everything) {
            visible = Optional.of(adaptable);
        } else if (enforcement.mayMatch(current, event.thing().toJson(), subscription.predicate().paths())) {
            visible = enforcement.visibleEvent(current, event, adaptable);
        } else {
            visible = Optional.empty();
        }
        if (visible.isEmpty()) {
            return;
        }
        if (subscription.extraFields() == null) {
            out.send(visible.get() == adaptable ? json : toJson(visible.get()));
        } else {
            JsonObject extra = enforcement.view(current, event.thing(), subscription.extraFields())
                    .orElse(JsonObject.empty());
            out.send(toJson(ProtocolFactory.setExtra(visible.get(), extra)));
        }
    }

    boolean receivesEvents() {
        return events != null;
    }

    private void onEnvelope(String text) {
        if (JsonNesting.deeperThan(text, MAX_NESTING)) {
            sendError(new HubRefusalException(HubRefusalException.PROTOCOL_INVALID, HttpStatus.BAD_REQUEST,
                    "The message nests JSON objects and arrays deeper than " + MAX_NESTING + " levels.",
                    "Flatten the value; things in this hub are nested at most " + MAX_NESTING + " levels deep.",
                    DittoHeaders.empty()), null);
            return;
        }
        JsonifiableAdaptable adaptable;
        DittoHeaders headers;
        try {
            adaptable = ProtocolFactory.jsonifiableAdaptableFromJson(JsonFactory.readFrom(text).asObject());
            headers = responseHeaders(adaptable.getDittoHeaders());
        } catch (JsonRuntimeException | UnsupportedOperationException | IllegalArgumentException e) {
            // IllegalArgumentException: Ditto's header parsing, e.g. "requested-acks": "" (not a JSON array)
            sendError(new HubRefusalException(HubRefusalException.PROTOCOL_INVALID, HttpStatus.BAD_REQUEST,
                    "The message is not a Ditto protocol envelope: " + e.getMessage(),
                    "Send a JSON object with 'topic', 'headers', 'path' and 'value' as the Ditto protocol "
                            + "specifies, or a protocol message such as START-SEND-EVENTS.", DittoHeaders.empty()),
                    null);
            return;
        } catch (DittoRuntimeException e) {
            sendError(e, null);
            return;
        }
        TopicPath topic = adaptable.getTopicPath();
        ThingId thingId = thingIdOrNull(topic);
        if (topic.getChannel() == TopicPath.Channel.LIVE || topic.getGroup() != TopicPath.Group.THINGS
                || topic.getCriterion() == TopicPath.Criterion.MESSAGES) {
            sendError(unsupported("'" + topic.getPath() + "': this hub serves the twin channel of things only "
                    + "(no live channel, messages, policies or connections)", headers), thingId);
            return;
        }
        Signal<?> signal;
        try {
            signal = ADAPTER.fromAdaptable(adaptable);
        } catch (DittoRuntimeException e) {
            sendError(withMessage(e, topic).setDittoHeaders(headers), thingId);
            return;
        } catch (RuntimeException e) {
            sendError(new DittoJsonException(e instanceof JsonRuntimeException json ? json
                    : new IllegalArgumentException(String.valueOf(e.getMessage())), headers), thingId);
            return;
        }
        if (signal instanceof ThingCommand<?> || signal instanceof RetrieveThings) {
            execute(signal, adaptable, headers);
        } else if (signal instanceof ThingSearchCommand<?>) {
            search.handle(signal, client, headers, answer -> out.send(toJson(ADAPTER.toAdaptable(answer))));
        } else {
            sendError(unsupported(signal.getType() + ": the hub accepts twin commands and search commands from "
                    + "clients", headers), thingId);
        }
    }

    private void execute(Signal<?> signal, Adaptable request, DittoHeaders headers) {
        ThingCommand<?> command = signal instanceof ThingCommand<?> one ? one : null;
        ThingId thingId = command == null ? null : command.getEntityId();
        TwinCommands.Outcome outcome;
        try {
            outcome = commands.execute(signal, client);
        } catch (RuntimeException e) {
            DittoRuntimeException error = DittoErrors.of(e, command, headers);
            if (error.getHttpStatus().isServerError()) {
                LOG.warn("Ditto client {}: {} of {} failed (correlation id {})", client.name(), signal.getType(),
                        thingId, headers.getCorrelationId().orElse("-"), e);
            }
            sendError(error, thingId);
            return;
        }
        if (!signal.getDittoHeaders().isResponseRequired()) {
            return;
        }
        Payload payload = ProtocolFactory.newPayloadBuilder(request.getPayload().getPath())
                .withStatus(outcome.status())
                .withValue(outcome.value())
                .build();
        Adaptable response = ProtocolFactory.newAdaptableBuilder(request.getTopicPath())
                .withPayload(payload)
                .withHeaders(headers)
                .build();
        try {
            // through Ditto's own mapping: the typed response, then its protocol form
            out.send(toJson(ADAPTER.toAdaptable(ADAPTER.fromAdaptable(response))));
        } catch (RuntimeException e) {
            LOG.warn("Ditto client {}: no Ditto response for {} with status {}", client.name(), signal.getType(),
                    outcome.status(), e);
            sendError(DittoErrors.of(e, command, headers), thingId);
        }
    }

    private void onProtocolMessage(String text) {
        int query = text.indexOf('?');
        String name = query < 0 ? text : text.substring(0, query);
        Map<String, String> parameters;
        try {
            parameters = query < 0 ? Map.of() : parameters(text.substring(query + 1));
        } catch (IllegalArgumentException e) {
            sendError(new HubRefusalException(HubRefusalException.PROTOCOL_INVALID, HttpStatus.BAD_REQUEST,
                    "The parameters of '" + shorten(name) + "' cannot be decoded: " + e.getMessage(),
                    "Percent-encode each parameter value as UTF-8 (a '%' itself as %25), e.g. "
                            + START_EVENTS + "?filter=eq(attributes%2Fzone,%22stratumseind%22).",
                    DittoHeaders.empty()), null);
            return;
        }
        String correlationId = parameters.get("correlation-id");
        DittoHeaders headers = DittoHeaders.newBuilder()
                .correlationId(correlationId == null || correlationId.isBlank() ? UUID.randomUUID().toString()
                        : correlationId)
                .build();
        switch (name) {
            case START_EVENTS -> {
                try {
                    Enforcement.requireReader(client, "Receiving events", headers);
                    Set<String> namespaces = Arrays.stream(parameters.getOrDefault("namespaces", "").split(","))
                            .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
                    ThingPredicate predicate = ThingPredicate.of(namespaces, parameters.get("filter"), headers);
                    String extra = parameters.get("extraFields");
                    events = new EventSubscription(predicate,
                            extra == null || extra.isBlank() ? null : JsonFactory.parseJsonFieldSelector(extra));
                    out.send(START_EVENTS + ":ACK");
                } catch (DittoRuntimeException e) {
                    sendError(e, null);
                } catch (JsonRuntimeException e) {
                    sendError(new DittoJsonException(e, headers), null);
                }
            }
            case STOP_EVENTS -> {
                events = null;
                out.send(STOP_EVENTS + ":ACK");
            }
            case JWT_TOKEN -> {
                // a refreshed token: it must still be a key this hub knows; from now on its client's roles count
                String token = parameters.getOrDefault("jwtToken", "");
                Optional<ApiClient> refreshed = authenticator.authenticate("Bearer " + token, null);
                if (refreshed.isEmpty()) {
                    out.close(1008, "The refreshed token is not an API key this hub knows; connect again with one.");
                } else {
                    client = refreshed.get();
                }
            }
            default -> {
                if (UNSUPPORTED_STREAM_STOPS.contains(name)) {
                    out.send(name + ":ACK");
                } else if (UNSUPPORTED_STREAMS.contains(name)) {
                    sendError(unsupported(name + ": this hub has no live channel and no messages; use "
                            + START_EVENTS + " for twin events", headers), null);
                } else {
                    // not a feature the hub lacks but a message no Ditto client sends: the client's error
                    sendError(new HubRefusalException(HubRefusalException.PROTOCOL_INVALID, HttpStatus.BAD_REQUEST,
                            "The protocol message '" + shorten(name) + "' is unknown; the hub knows "
                                    + START_EVENTS + ", " + STOP_EVENTS + " and " + JWT_TOKEN + ".",
                            "Send one of those, or a Ditto protocol envelope (JSON); the live channel and messages "
                                    + "are not supported.", headers), null);
                }
            }
        }
    }

    private static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }

    /** The parameters of a protocol message; {@link IllegalArgumentException} for a broken percent escape. */
    private static Map<String, String> parameters(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                parameters.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private void sendError(DittoRuntimeException error, ThingId thingId) {
        DittoHeaders headers = error.getDittoHeaders();
        ThingErrorResponse response = thingId == null ? ThingErrorResponse.of(error, headers)
                : ThingErrorResponse.of(thingId, error, headers);
        out.send(toJson(ADAPTER.toAdaptable(response)));
    }

    /**
     * The error itself when it says what is wrong; else (Ditto's adapter throws e.g. {@code json.invalid} without a
     * message for a modify without a value) the same error code and status with a message naming the topic.
     */
    private static DittoRuntimeException withMessage(DittoRuntimeException error, TopicPath topic) {
        if (error.getMessage() != null && !error.getMessage().isBlank()) {
            return error;
        }
        return new HubRefusalException(error.getErrorCode(), error.getHttpStatus(), "The envelope is not a valid "
                + "command for its topic '" + topic.getPath() + "' (" + error.getErrorCode() + ").",
                error.getDescription().orElse("Check 'path' and 'value' against the Ditto protocol specification "
                        + "of the command."), error.getDittoHeaders());
    }

    private static HubRefusalException unsupported(String what, DittoHeaders headers) {
        return new HubRefusalException(HubRefusalException.UNSUPPORTED, HttpStatus.NOT_IMPLEMENTED,
                "Not supported: " + what + ".",
                "See the hub's Ditto API documentation (bundles/ditto-api/README.md) for what is supported.",
                headers);
    }

    /** The headers of an answer: the request's correlation id (a new one when it had none). */
    private static DittoHeaders responseHeaders(DittoHeaders request) {
        return DittoHeaders.newBuilder()
                .correlationId(request.getCorrelationId().orElseGet(() -> UUID.randomUUID().toString()))
                .build();
    }

    private static ThingId thingIdOrNull(TopicPath topic) {
        try {
            return "_".equals(topic.getNamespace()) ? null : ThingId.of(topic.getNamespace(), topic.getEntityName());
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String toJson(Adaptable adaptable) {
        return ProtocolFactory.wrapAsJsonifiableAdaptable(adaptable).toJsonString();
    }
}
