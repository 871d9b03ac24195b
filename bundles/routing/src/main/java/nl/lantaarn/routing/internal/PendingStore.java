package nl.lantaarn.routing.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.durable.DurableQueue;
import nl.lantaarn.durable.DurableStore;
import nl.lantaarn.durable.DurableStoreException;
import nl.lantaarn.durable.QueueFullException;
import nl.lantaarn.routing.api.PendingAction;

/**
 * The pending actions of {@code hub:confirm} on disk ({@code data/routing/pending.mv}, a durable queue), so a restart
 * keeps them: an entry per parked action (the action, the {@code then} endpoint, the body and the simple headers),
 * removed when the action is decided or expired. A failure to open or write leaves the actions in memory only, which
 * the health report says.
 */
final class PendingStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PendingStore.class);
    static final String QUEUE = "pending-actions";
    private static final int FORMAT = 1;

    /**
     * What an action needs to continue after a restart.
     *
     * @param body    the parked body: a Map (JSON object), a Ditto JSON value, a String, bytes, or null
     * @param headers the parked headers that are Strings, Numbers or Booleans
     */
    record Stored(PendingAction action, String then, Object body, Map<String, Object> headers) {
    }

    /** An action read back, with its entry for {@link #remove(long)}. */
    record Restored(long sequence, Stored stored) {
    }

    private final Path file;
    private final AtomicLong notKept = new AtomicLong();
    private volatile DurableStore store;
    private volatile DurableQueue queue;
    private volatile String problem;

    /** @param file the store file; {@code null}: pending actions are kept in memory only */
    PendingStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /**
     * Opens the file and reads what an earlier run left, oldest first. An entry that cannot be read is logged at WARN
     * with its content and removed.
     */
    List<Restored> open(int capacity) {
        if (file == null) {
            return List.of();
        }
        try {
            DurableStore opened = DurableStore.open(file, DurableStore.Options.defaults());
            DurableQueue opening = opened.queue(QUEUE, capacity);
            store = opened;
            queue = opening;
            problem = null;
            List<Restored> result = new ArrayList<>();
            long before = opening.nextSequence();
            long from = 0;
            while (true) {
                List<DurableQueue.Entry> page = opening.entries(from, before, 256);
                if (page.isEmpty()) {
                    break;
                }
                for (DurableQueue.Entry entry : page) {
                    String text = new String(entry.value(), StandardCharsets.UTF_8);
                    try {
                        result.add(new Restored(entry.sequence(), decode(text)));
                    } catch (RuntimeException e) {
                        LOG.warn("Pending action in {} cannot be read and is removed ({}): {}", file, e.toString(),
                                text);
                        opening.remove(entry.sequence());
                    }
                }
                from = page.get(page.size() - 1).sequence() + 1;
            }
            return result;
        } catch (DurableStoreException e) {
            problem = e.getMessage();
            LOG.error("{} Pending actions are kept in memory only until the routing component restarts: a restart "
                    + "drops those not yet decided.", e.getMessage());
            return List.of();
        }
    }

    /** Stores a parked action; returns its entry, or -1 when it is kept in memory only (logged, health says so). */
    long append(Stored stored) {
        DurableQueue current = queue;
        if (current == null) {
            return -1;
        }
        try {
            return current.append(encode(stored).getBytes(StandardCharsets.UTF_8));
        } catch (QueueFullException | RuntimeException e) {
            problem("store pending action " + stored.action().id(), e);
            return -1;
        }
    }

    /** Removes a decided or expired action's entry. */
    void remove(long sequence) {
        DurableQueue current = queue;
        if (current == null || sequence < 0) {
            return;
        }
        try {
            current.remove(sequence);
        } catch (DurableStoreException e) {
            problem("remove a decided pending action", e);
        }
    }

    private void problem(String what, Exception e) {
        if (notKept.getAndIncrement() == 0) {
            LOG.warn("Cannot {} in {}: {}. Pending actions go on in memory only while this lasts.", what, file,
                    e.getMessage());
        }
        problem = "cannot " + what + ": " + e.getMessage();
    }

    /** For the health report: why actions are (partly) in memory only, or {@code null} when all is well. */
    String problem() {
        if (file == null) {
            return null;
        }
        DurableStore current = store;
        if (current != null && current.failure() != null) {
            return current.failure();
        }
        return problem;
    }

    /** For tests: waits until what was stored so far is in the file. */
    boolean awaitCommitted(java.time.Duration timeout) throws InterruptedException {
        DurableStore current = store;
        return current != null && current.awaitCommitted(timeout);
    }

    @Override
    public void close() {
        DurableStore current = store;
        store = null;
        queue = null;
        if (current != null) {
            current.close();
        }
    }

    static String encode(Stored stored) {
        PendingAction action = stored.action();
        JsonObjectBuilder json = JsonFactory.newObjectBuilder()
                .set("format", FORMAT)
                .set("id", action.id())
                .set("route", action.route())
                .set("action", action.action())
                .set("bodySummary", action.bodySummary())
                .set("created", action.created().toString())
                .set("expires", action.expires().toString())
                .set("then", stored.then());
        if (action.thing() != null) {
            json.set("thing", action.thing());
        }
        Object body = stored.body();
        if (body == null) {
            json.set("bodyKind", "none");
        } else if (body instanceof Map<?, ?>) {
            json.set("bodyKind", "map").set("body", JsonConversion.toJson(body).toString());
        } else if (body instanceof JsonValue value) {
            json.set("bodyKind", "json").set("body", value.toString());
        } else if (body instanceof byte[] bytes) {
            json.set("bodyKind", "bytes").set("body", Base64.getEncoder().encodeToString(bytes));
        } else {
            // a String stays a String; anything else continues as its text
            json.set("bodyKind", "text").set("body", HubConfirmProducer.bodyText(body));
        }
        var headers = JsonFactory.newArrayBuilder();
        stored.headers().forEach((name, value) -> {
            String type = headerType(value);
            if (type != null) {
                headers.add(JsonFactory.newArrayBuilder().add(name).add(type).add(String.valueOf(value)).build());
            }
        });
        json.set("headers", headers.build());
        return json.build().toString();
    }

    static Stored decode(String text) {
        JsonObject json = JsonFactory.newObject(text);
        PendingAction action = new PendingAction(string(json, "id"), string(json, "route"),
                json.getValue("thing").filter(JsonValue::isString).map(JsonValue::asString).orElse(null),
                string(json, "action"), string(json, "bodySummary"), Instant.parse(string(json, "created")),
                Instant.parse(string(json, "expires")));
        String kind = string(json, "bodyKind");
        Object body = switch (kind) {
            case "none" -> null;
            case "map" -> JsonConversion.toMap(JsonFactory.newObject(string(json, "body")));
            case "json" -> JsonFactory.readFrom(string(json, "body"));
            case "bytes" -> Base64.getDecoder().decode(string(json, "body"));
            case "text" -> string(json, "body");
            default -> throw new IllegalArgumentException("unknown bodyKind '" + kind + "'");
        };
        Map<String, Object> headers = new LinkedHashMap<>();
        JsonArray array = json.getValue("headers").filter(JsonValue::isArray).map(JsonValue::asArray)
                .orElse(JsonFactory.newArray());
        for (JsonValue element : array) {
            JsonArray header = element.asArray();
            String value = header.get(2).orElseThrow().asString();
            headers.put(header.get(0).orElseThrow().asString(), headerValue(header.get(1).orElseThrow().asString(),
                    value));
        }
        return new Stored(action, string(json, "then"), body, headers);
    }

    private static String string(JsonObject json, String key) {
        return json.getValue(key).filter(JsonValue::isString).map(JsonValue::asString)
                .orElseThrow(() -> new IllegalArgumentException("no '" + key + "'"));
    }

    /** The type a header keeps across a restart, or {@code null}: it is not kept. */
    static String headerType(Object value) {
        if (value instanceof String) {
            return "String";
        }
        if (value instanceof Boolean) {
            return "Boolean";
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof Double || value instanceof Float || value instanceof BigDecimal
                || value instanceof BigInteger) {
            return value.getClass().getSimpleName();
        }
        return null;
    }

    private static Object headerValue(String type, String value) {
        return switch (type) {
            case "String" -> value;
            case "Boolean" -> Boolean.valueOf(value);
            case "Integer" -> Integer.valueOf(value);
            case "Long" -> Long.valueOf(value);
            case "Short" -> Short.valueOf(value);
            case "Byte" -> Byte.valueOf(value);
            case "Double" -> Double.valueOf(value);
            case "Float" -> Float.valueOf(value);
            case "BigDecimal" -> new BigDecimal(value);
            case "BigInteger" -> new BigInteger(value);
            default -> throw new IllegalArgumentException("unknown header type '" + type + "'");
        };
    }
}
