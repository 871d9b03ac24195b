package nl.lantaarn.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;
import nl.lantaarn.security.api.ThingAccess;
import nl.lantaarn.twin.api.TwinConflictException;
import nl.lantaarn.twin.api.TwinNotFoundException;
import nl.lantaarn.twin.api.TwinService;
import nl.lantaarn.twin.api.TwinStoreException;
import nl.lantaarn.twin.api.WriteCondition;

/**
 * PUT, PATCH and DELETE of {@code /things/{thingId}[/<pointer>]}: authenticated (API key), bounded in size and
 * depth, conditional on {@code If-Match} / {@code If-None-Match} with the thing's revision as entity tag.
 */
final class ThingWriteRoute {

    private static final Logger LOG = LoggerFactory.getLogger(ThingWriteRoute.class);

    static final int MAX_BODY_BYTES = 256 * 1024;
    static final int MAX_DEPTH = 32;
    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String RETRY_AFTER_SECONDS = "10";
    private final TwinService twin;
    private final Authentication authentication;
    private final ThingAccess access;

    ThingWriteRoute(TwinService twin, Authentication authentication, ThingAccess access) {
        this.twin = twin;
        this.authentication = authentication;
        this.access = access;
    }

    /** A refusal; the body may be unread (refused before or while reading it), so the connection is not reused. */
    private static void refuse(HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        response.setHeader("Connection", "close");
        ApiServlet.problem(response, status, title, detail);
    }

    /** {@code rest} is the path after {@code /things/}: {@code <thingId>[/<pointer>]}. */
    void handle(String method, String rest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Optional<ApiClient> client = authentication.require(request, response, Role.WRITER, "Writes need");
        if (client.isEmpty()) {
            return;
        }
        int slash = rest.indexOf('/');
        String rawId = slash < 0 ? rest : rest.substring(0, slash);
        ThingId id;
        try {
            id = ThingId.of(rawId);
        } catch (RuntimeException e) {
            refuse(response, 400, "Invalid thing id", "'" + rawId
                    + "' is not a thing id; use <namespace>:<name>, e.g. nl.demo.safety:noise-n-7.");
            return;
        }
        JsonPointer path;
        try {
            path = slash < 0 || slash == rest.length() - 1 ? JsonPointer.empty() : JsonPointer.of(rest.substring(slash));
        } catch (RuntimeException e) {
            refuse(response, 400, "Invalid path", "'" + rest.substring(slash)
                    + "' is not a path into a thing; use e.g. /attributes/zone or /features/noise/properties/laeq.");
            return;
        }
        WriteCondition condition;
        try {
            condition = condition(request);
        } catch (IllegalArgumentException e) {
            refuse(response, 400, "Invalid precondition", e.getMessage());
            return;
        }
        try {
            switch (method) {
                case "PUT" -> put(id, path, condition, client.get(), request, response);
                case "PATCH" -> patch(id, path, condition, client.get(), request, response);
                default -> delete(id, path, condition, client.get(), response);
            }
        } catch (BadBody e) {
            refuse(response, e.status, e.title, e.getMessage());
        } catch (NotGranted e) {
            refuse(response, 403, "Forbidden", e.getMessage());
        } catch (TwinConflictException e) {
            e.currentRevision().ifPresent(revision -> response.setHeader("ETag", etag(revision)));
            refuse(response, 412, "Precondition failed", e.getMessage() + ". " + e.description());
        } catch (TwinNotFoundException e) {
            refuse(response, 404, e.path().isEmpty() ? "Thing not found" : "Not found",
                    e.getMessage() + ". " + e.description());
        } catch (TwinStoreException e) {
            LOG.debug("Write to {} refused by the store: {}", id, e.getMessage());
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
            refuse(response, 503, "Twin store unavailable", e.getMessage() + ". " + e.description());
        } catch (IllegalArgumentException e) {
            refuse(response, 400, "Bad request", e.getMessage());
        }
    }

    private void put(ThingId id, JsonPointer path, WriteCondition condition, ApiClient client,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        requireContentType(request, "application/json");
        JsonValue value = body(request);
        Optional<Thing> before = twin.retrieve(id);
        checkGranted(client, id, before, path, value, List.of(path));
        boolean created = absent(before, path);
        Thing after = twin.modify(id, path, value, condition);
        LOG.debug("{} PUT {}{}", client.name(), id, path);
        answer(response, client, id, path, after, created);
    }

    private void patch(ThingId id, JsonPointer path, WriteCondition condition, ApiClient client,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        requireContentType(request, MERGE_PATCH);
        JsonValue patch = body(request);
        Optional<Thing> before = twin.retrieve(id);
        List<JsonPointer> written = new ArrayList<>();
        leaves(path, patch, written);
        checkGranted(client, id, before, path, patch, written);
        boolean created = absent(before, path);
        Thing after = twin.merge(id, path, patch, condition);
        LOG.debug("{} PATCH {}{}", client.name(), id, path);
        answer(response, client, id, path, after, created);
    }

    private void delete(ThingId id, JsonPointer path, WriteCondition condition, ApiClient client,
            HttpServletResponse response) {
        checkGranted(client, id, twin.retrieve(id), path, null, List.of(path));
        Optional<Thing> after = twin.delete(id, path, condition);
        LOG.debug("{} DELETE {}{}", client.name(), id, path);
        after.flatMap(Thing::getRevision).ifPresent(revision -> response.setHeader("ETag", etag(revision.toLong())));
        response.setStatus(204);
    }

    /**
     * Whether the addressed part is missing before the write, for 201 versus 204. Read before the write, so a
     * concurrent writer can make this wrong; {@code If-None-Match: *} makes a creation certain.
     */
    private static boolean absent(Optional<Thing> before, JsonPointer path) {
        return before.isEmpty() || (!path.isEmpty() && before.get().toJson().getValue(path).isEmpty());
    }

    /**
     * Refuses the write unless the access policies grant WRITE on every written path. The thing's domain and zone
     * come from the thing as it is, or for a new thing from the body that creates it.
     */
    private void checkGranted(ApiClient client, ThingId id, Optional<Thing> before, JsonPointer path, JsonValue body,
            List<JsonPointer> written) {
        JsonObject scope = before.map(Thing::toJson).orElseGet(() -> {
            JsonObject created = path.isEmpty() && body != null && body.isObject() ? body.asObject() : JsonObject.empty();
            return created.setValue("thingId", id.toString());
        });
        for (JsonPointer pointer : written) {
            if (!access.mayWrite(client, scope, pointer)) {
                throw new NotGranted("The access policies grant API client '" + client.name() + "' no WRITE on thing:"
                        + (pointer.isEmpty() ? "/" : pointer.toString()) + " of '" + id + "' (or on its domain or "
                        + "zone); an operator grants it in the hub's policies folder (see policies/README.md).");
            }
        }
    }

    /** The paths a merge patch writes: each member that is not itself an object with members, recursively. */
    static void leaves(JsonPointer at, JsonValue patch, List<JsonPointer> into) {
        if (!patch.isObject() || patch.asObject().isEmpty()) {
            into.add(at);
            return;
        }
        for (JsonField field : patch.asObject()) {
            leaves(at.addLeaf(field.getKey()), field.getValue(), into);
        }
    }

    private void answer(HttpServletResponse response, ApiClient client, ThingId id, JsonPointer path, Thing after,
            boolean created) throws IOException {
        after.getRevision().ifPresent(revision -> response.setHeader("ETag", etag(revision.toLong())));
        if (!created) {
            response.setStatus(204);
            return;
        }
        response.setHeader("Location", "/api/v1/things/" + id + (path.isEmpty() ? "" : path.toString()));
        JsonObject visible = access.readable(client, after.toJson()).orElse(JsonObject.empty());
        JsonValue body = path.isEmpty() ? visible : visible.getValue(path).orElse(JsonValue.nullLiteral());
        ApiServlet.json(response, 201, body.toString());
    }

    static WriteCondition condition(HttpServletRequest request) {
        String match = request.getHeader("If-Match");
        String noneMatch = request.getHeader("If-None-Match");
        if (match != null && noneMatch != null) {
            throw new IllegalArgumentException("Send either If-Match or If-None-Match, not both.");
        }
        if (noneMatch != null) {
            if (!noneMatch.trim().equals("*")) {
                throw new IllegalArgumentException("If-None-Match supports only '*' (create, never replace), was '"
                        + noneMatch + "'.");
            }
            return WriteCondition.ifNoneMatchAny();
        }
        if (match == null) {
            return WriteCondition.any();
        }
        String tag = match.trim();
        if (tag.equals("*")) {
            return WriteCondition.ifMatchAny();
        }
        if (tag.length() > 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            try {
                return WriteCondition.ifMatch(Long.parseLong(tag.substring(1, tag.length() - 1)));
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("If-Match must be '*' or one entity tag as the ETag header gives it, e.g. "
                + "\"5\" with the quotes; was '" + match + "'.");
    }

    private static void requireContentType(HttpServletRequest request, String expected) {
        String type = request.getContentType();
        String base = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!base.equals(expected)) {
            throw new BadBody(415, "Unsupported media type", request.getMethod() + " needs Content-Type: " + expected
                    + (type == null ? "; the request has none." : ", was '" + type + "'."));
        }
    }

    /** Reads at most {@link #MAX_BODY_BYTES}, checks the nesting depth, then parses. */
    private static JsonValue body(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream((int) Math.max(declared, 256));
        byte[] chunk = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            int read;
            while ((read = in.read(chunk)) >= 0) {
                if (buffer.size() + read > MAX_BODY_BYTES) {
                    throw tooLarge();
                }
                buffer.write(chunk, 0, read);
            }
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw new BadBody(400, "Bad request", "The request body is empty; send a JSON value.");
        }
        checkDepth(text);
        try {
            return JsonFactory.readFrom(text);
        } catch (RuntimeException e) {
            // the parser's own message names line:column; Ditto's wrapper only repeats the whole body
            String where = e.getCause() != null && e.getCause().getMessage() != null
                    ? e.getCause().getMessage() + " (line:column)" : "it cannot be parsed";
            throw new BadBody(400, "Malformed JSON", "The request body is not valid JSON: " + where + ".");
        }
    }

    private static BadBody tooLarge() {
        return new BadBody(413, "Content too large", "The request body is larger than " + MAX_BODY_BYTES
                + " bytes (256 KB); write a thing in parts, e.g. one feature per request.");
    }

    /** Counts nesting outside strings, so that a deeply nested body is refused before a recursive parser sees it. */
    static void checkDepth(String text) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > MAX_DEPTH) {
                    throw new BadBody(400, "JSON nested too deeply", "The request body nests objects and arrays "
                            + "deeper than " + MAX_DEPTH + " levels (at character " + (i + 1) + "); flatten it.");
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
    }

    static String etag(long revision) {
        return "\"" + revision + "\"";
    }

    /** A write the access policies do not grant. */
    private static final class NotGranted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotGranted(String message) {
            super(message);
        }
    }

    /** A request body the caller must fix. */
    private static final class BadBody extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String title;

        BadBody(int status, String title, String message) {
            super(message);
            this.status = status;
            this.title = title;
        }
    }
}
