package nl.lantaarn.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonArrayBuilder;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.personaldata.api.DataSubject;
import nl.lantaarn.personaldata.api.PersonalDataRights;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;

/**
 * {@code POST /api/v1/privacy/erasures} and {@code GET /api/v1/privacy/exports}: a data subject's erasure and access
 * requests over every store of the hub, by thing id or pseudonym. Admin only: an erasure cannot be undone and an
 * export holds personal data from every store.
 */
final class PrivacyRoute {

    private static final int MAX_BODY = 4096;

    private final Authentication authentication;
    private final Supplier<PersonalDataRights> rights;

    PrivacyRoute(Authentication authentication, Supplier<PersonalDataRights> rights) {
        this.authentication = authentication;
        this.rights = rights;
    }

    static boolean matches(String path) {
        return path.equals("/privacy") || path.startsWith("/privacy/");
    }

    void handle(String method, String path, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        boolean erasures = path.equals("/privacy/erasures");
        boolean exports = path.equals("/privacy/exports");
        if (!erasures && !exports) {
            ApiServlet.problem(response, 404, "Not found", "There is no resource at /api/v1" + path
                    + "; the resources are /privacy/erasures (POST) and /privacy/exports (GET).");
            return;
        }
        String allow = erasures ? "POST" : "GET, HEAD";
        boolean allowed = erasures ? method.equals("POST") : method.equals("GET") || method.equals("HEAD");
        if (!allowed) {
            response.setHeader("Allow", allow);
            ApiServlet.problem(response, 405, "Method not allowed", "Use " + allow + " here.");
            return;
        }
        Optional<ApiClient> client = authentication.require(request, response, Role.ADMIN,
                erasures ? "Erasing personal data needs" : "Exporting personal data needs");
        if (client.isEmpty()) {
            return;
        }
        PersonalDataRights service = rights.get();
        if (service == null) {
            ApiServlet.problem(response, 503, "Privacy service unavailable", "The hub's privacy component "
                    + "(bundle nl.lantaarn.privacy.data) is not running; see /api/v1/health.");
            return;
        }
        DataSubject subject;
        try {
            subject = erasures ? subjectOfBody(request) : subjectOfQuery(request);
        } catch (IllegalArgumentException e) {
            ApiServlet.problem(response, 400, "Bad request", e.getMessage());
            return;
        }
        if (subject == null) {
            return;
        }
        String actor = client.get().name();
        if (erasures) {
            List<PersonalDataRights.StoreResult> results = service.erase(subject, actor);
            JsonArrayBuilder stores = JsonArray.newBuilder();
            for (PersonalDataRights.StoreResult result : results) {
                JsonObjectBuilder store = JsonObject.newBuilder().set("store", result.store())
                        .set("removed", result.count());
                if (result.error() != null) {
                    store.set("error", result.error());
                }
                stores.add(store.build());
            }
            List<String> failed = results.stream().filter(r -> r.error() != null)
                    .map(r -> r.store() + ": " + r.error()).toList();
            if (!failed.isEmpty()) {
                ApiServlet.problem(response, 500, "Erasure incomplete", "Erasing " + subject + " failed in "
                        + String.join("; ", failed) + ". The other stores were erased; ask again once the failing "
                        + "store works (see /api/v1/health).");
                return;
            }
            ApiServlet.json(response, 200, subjectJson(subject).set("complete", true).set("stores", stores.build())
                    .build().toString());
            return;
        }
        Map<String, List<String>> found = service.export(subject, actor);
        JsonObjectBuilder stores = JsonObject.newBuilder();
        found.forEach((store, items) -> {
            JsonArrayBuilder array = JsonArray.newBuilder();
            items.forEach(item -> array.add(JsonFactory.readFrom(item)));
            stores.set(store, array.build());
        });
        ApiServlet.json(response, 200, subjectJson(subject).set("stores", stores.build()).build().toString());
    }

    private static JsonObjectBuilder subjectJson(DataSubject subject) {
        return JsonObject.newBuilder().set(subject.kind() == DataSubject.Kind.THING ? "thingId" : "pseudonym",
                subject.value());
    }

    private static DataSubject subjectOfQuery(HttpServletRequest request) {
        return subject(request.getParameter("thingId"), request.getParameter("pseudonym"));
    }

    private static DataSubject subjectOfBody(HttpServletRequest request) throws IOException {
        byte[] body;
        try {
            body = Bodies.read(request, MAX_BODY);
        } catch (Bodies.TooLarge e) {
            throw new IllegalArgumentException("The body is larger than " + MAX_BODY + " bytes; send "
                    + "{\"thingId\":\"<namespace>:<name>\"} or {\"pseudonym\":\"...\"}.");
        }
        JsonObject object;
        try {
            JsonValue value = JsonFactory.readFrom(new String(body, StandardCharsets.UTF_8));
            if (!value.isObject()) {
                throw new IllegalArgumentException("not an object");
            }
            object = value.asObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("The body must be a JSON object {\"thingId\":\"<namespace>:<name>\"} "
                    + "or {\"pseudonym\":\"...\"}.");
        }
        for (var field : object) {
            if (!field.getKeyName().equals("thingId") && !field.getKeyName().equals("pseudonym")) {
                throw new IllegalArgumentException("Unknown field '" + field.getKeyName()
                        + "': the body has either thingId or pseudonym.");
            }
            if (!field.getValue().isString()) {
                throw new IllegalArgumentException(field.getKeyName() + " must be a string.");
            }
        }
        return subject(object.getValue("thingId").map(JsonValue::asString).orElse(null),
                object.getValue("pseudonym").map(JsonValue::asString).orElse(null));
    }

    private static DataSubject subject(String thingId, String pseudonym) {
        if ((thingId == null) == (pseudonym == null)) {
            throw new IllegalArgumentException("Give exactly one of thingId and pseudonym, e.g. "
                    + "thingId=nl.eindhoven.lighting:lamppost-0042.");
        }
        return thingId != null ? DataSubject.thing(thingId) : DataSubject.pseudonym(pseudonym);
    }
}
