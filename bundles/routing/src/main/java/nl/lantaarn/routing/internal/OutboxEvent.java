package nl.lantaarn.routing.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.apache.camel.Message;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.events.ThingModified;

import nl.lantaarn.twin.api.TwinEvent;

/**
 * A twin event as a route's outbox keeps it: what a {@code hub:events} exchange is made of (the thing's JSON, its id,
 * namespace, domain, revision and the event type). A live event also carries its {@link TwinEventView}; an event
 * read back from the outbox after a restart has none.
 */
final class OutboxEvent {

    private static final byte FORMAT = 1;

    private final TwinEventView view;
    private final String thingId;
    private final String namespace;
    private final String domain;
    private final long revision;
    private final String eventType;
    private String thingJson;
    private JsonObject parsed;
    private byte[] bytes;

    private OutboxEvent(TwinEventView view, String thingId, String namespace, String domain, long revision,
            String eventType, String thingJson, JsonObject parsed) {
        this.view = view;
        this.thingId = thingId;
        this.namespace = namespace;
        this.domain = domain;
        this.revision = revision;
        this.eventType = eventType;
        this.thingJson = thingJson;
        this.parsed = parsed;
    }

    /** The event of a live view: one object per view, however many routes take it (the view keeps it). */
    static OutboxEvent of(TwinEventView view) {
        return view.outboxEvent();
    }

    /** For {@link TwinEventView#outboxEvent()} only; the JSON text is made only when the outbox needs it. */
    static OutboxEvent create(TwinEventView view) {
        return new OutboxEvent(view, view.thingId(), view.namespace(), view.domain(), view.revision(),
                view.eventType(), null, view.thingJson());
    }

    /** Reads what {@link #bytes()} wrote. */
    static OutboxEvent read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("outbox entry of format " + format + ", this hub reads " + FORMAT);
            }
            String thingId = in.readUTF();
            String namespace = in.readUTF();
            String domain = in.readBoolean() ? in.readUTF() : null;
            long revision = in.readLong();
            String eventType = in.readUTF();
            byte[] json = new byte[in.readInt()];
            in.readFully(json);
            return new OutboxEvent(null, thingId, namespace, domain, revision, eventType,
                    new String(json, StandardCharsets.UTF_8), null);
        } catch (IOException e) {
            throw new IllegalArgumentException("damaged outbox entry: " + e, e);
        }
    }

    /** The outbox entry; made once. */
    synchronized byte[] bytes() {
        if (bytes == null) {
            byte[] json = thingJsonText().getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(json.length + 128);
            try (DataOutputStream out = new DataOutputStream(buffer)) {
                out.writeByte(FORMAT);
                out.writeUTF(thingId);
                out.writeUTF(namespace);
                out.writeBoolean(domain != null);
                if (domain != null) {
                    out.writeUTF(domain);
                }
                out.writeLong(revision);
                out.writeUTF(eventType);
                out.writeInt(json.length);
                out.write(json);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot happen in memory", e);
            }
            bytes = buffer.toByteArray();
        }
        return bytes;
    }

    /** The live event's view, or {@code null} for an event read back from the outbox. */
    TwinEventView view() {
        return view;
    }

    /**
     * A view of an event read back from the outbox, for its zone headers: the thing as it was then, the zones of the
     * zones folder as they are now.
     */
    TwinEventView replayView(ZoneLookup zones) {
        Thing thing = ThingsModelFactory.newThing(thingJson());
        TwinEvent event = new TwinEvent(ThingModified.of(thing, revision, null, DittoHeaders.empty(), null), thing);
        return TwinEventView.of(event, zones);
    }

    String thingId() {
        return thingId;
    }

    /**
     * Sets the headers every {@code hub:events} exchange carries: {@code LantaarnThingId}, {@code LantaarnNamespace},
     * {@code LantaarnDomain} (when the namespace has one), {@code LantaarnRevision} and {@code LantaarnEventType}.
     */
    void setHeaders(Message message) {
        message.setHeader(HubHeaders.THING_ID, thingId);
        message.setHeader(HubHeaders.NAMESPACE, namespace);
        if (domain != null) {
            message.setHeader(HubHeaders.DOMAIN, domain);
        }
        message.setHeader(HubHeaders.REVISION, revision);
        message.setHeader(HubHeaders.EVENT_TYPE, eventType);
    }

    /** The thing's JSON text, for dead letters. */
    synchronized String thingJsonText() {
        if (thingJson == null) {
            thingJson = parsed.toString();
        }
        return thingJson;
    }

    synchronized JsonObject thingJson() {
        if (parsed == null) {
            parsed = JsonFactory.newObject(thingJson);
        }
        return parsed;
    }

    @Override
    public String toString() {
        return view != null ? view.toString()
                : "TwinEvent[" + eventType + " " + thingId + " rev " + revision + ", from the outbox]";
    }
}
