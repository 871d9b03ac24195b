package nl.lantaarn.http.internal;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

import nl.lantaarn.adapter.admin.AdapterStatus;
import nl.lantaarn.adapter.admin.CommandCounters;
import nl.lantaarn.adapter.admin.IngestResult;
import nl.lantaarn.adapter.api.PrivacyManifest;

/** JSON of the adapter admin types; absent values are {@code null}, so every object has the same fields. */
final class AdapterJson {

    private AdapterJson() {
    }

    /** The status with the instance's command counters ({@code commands} is null when they are unknown). */
    static JsonObject status(AdapterStatus status, Optional<CommandCounters> commands) {
        return status(status).toBuilder()
                .set("commands", commands.<JsonValue>map(c -> JsonObject.newBuilder()
                        .set("sent", c.sent())
                        .set("acknowledged", c.acknowledged())
                        .set("retried", c.retried())
                        .set("failed", c.failed())
                        .set("unmatched", c.unmatched())
                        .set("waiting", c.waiting())
                        .build()).orElse(JsonValue.nullLiteral()))
                .build();
    }

    static JsonObject status(AdapterStatus status) {
        return JsonObject.newBuilder()
                .set("id", status.id())
                .set("type", status.type())
                .set("vendor", text(status.vendor()))
                .set("domains", strings(status.domains() == null ? List.of() : new TreeSet<>(status.domains())))
                .set("bundle", text(status.bundle()))
                .set("state", status.state() == null ? JsonValue.nullLiteral() : JsonValue.of(status.state().name()))
                .set("reason", text(status.reason()))
                .set("inbound", text(status.inbound()))
                .set("privacy", status.privacy() == null ? JsonValue.nullLiteral() : privacy(status.privacy()))
                .set("counters", JsonObject.newBuilder()
                        .set("received", status.received())
                        .set("mapped", status.mapped())
                        .set("rejected", status.rejected())
                        .set("deadLettered", status.deadLettered())
                        .set("thingUpdates", status.thingUpdates())
                        .set("undeclaredFields", status.undeclaredFields())
                        .build())
                .set("inboxSize", status.inboxSize())
                .set("inboxCapacity", status.inboxCapacity())
                .set("meanMappingMicros", status.meanMappingMicros())
                .set("maxMappingMicros", status.maxMappingMicros())
                .set("lastReceivedAt", status.lastReceivedAt() == null ? JsonValue.nullLiteral()
                        : JsonValue.of(status.lastReceivedAt().toString()))
                .build();
    }

    static JsonObject privacy(PrivacyManifest privacy) {
        return JsonObject.newBuilder()
                .set("dataCategories", strings(new TreeSet<>(privacy.dataCategories())))
                .set("personalData", privacy.personalData())
                .set("purpose", privacy.purpose())
                .set("legalGround", privacy.legalGround().name())
                .set("retention", privacy.retention().toString())
                .set("fields", strings(privacy.fields()))
                .build();
    }

    static JsonObject result(IngestResult result) {
        return JsonObject.newBuilder()
                .set("accepted", result.accepted())
                .set("thingIds", strings(result.thingIds() == null ? List.of() : result.thingIds()))
                .set("reason", text(result.reason()))
                .set("deadLetterId", text(result.deadLetterId()))
                .build();
    }

    static JsonArray strings(Iterable<String> values) {
        var array = JsonArray.newBuilder();
        values.forEach(array::add);
        return array.build();
    }

    static JsonValue text(String value) {
        return value == null ? JsonValue.nullLiteral() : JsonValue.of(value);
    }
}
