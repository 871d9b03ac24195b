package nl.lantaarn.http.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.audit.api.AuditEntry;
import nl.lantaarn.audit.api.AuditKind;
import nl.lantaarn.audit.api.AuditTrail;
import nl.lantaarn.security.api.ApiClient;

/**
 * Purpose binding for the APIs: data an adapter's privacy manifest marks personal goes only to clients whose purpose
 * ({@link ApiClient#purpose()}, an id of the hub's purpose vocabulary) the manifest {@link PrivacyManifest#allows
 * allows}.
 * <p>
 * A thing's manifest is its adapter type's: {@code attributes/adapter} holds the instance id, whose part before the
 * first dot is the type id. Its personal parts are the fields the manifest declares ({@link PrivacyManifest#fields()}).
 * For a client whose purpose the manifest does not allow, {@link #view} leaves those parts out of a whole thing (as the
 * access policies leave out what a client has no grant for), and {@link #refusal} refuses a read of a part that holds
 * or lies in one of them. Things of adapter types whose bundle is not installed are not known to be personal.
 * <p>
 * Cheap on the request path: the personal manifests are a small immutable map, replaced when an adapter bundle comes
 * or goes; a client whose purpose every personal manifest allows takes the access policies' fast path.
 */
@Component(service = PurposeGuard.class)
public final class PurposeGuard {

    private static final JsonPointer ADAPTER = JsonPointer.of("attributes/adapter");

    /** Why a client may not read a part of a thing. */
    public record Refusal(String thingId, String path, String adapterType, String clientPurpose,
            Set<String> allowed) {

        /** The problem's {@code detail}: the client's purpose, the allowed ones, and what to do. */
        String detail(String clientName) {
            String has = clientPurpose.isBlank() ? "no purpose" : "purpose '" + clientPurpose + "'";
            return "'" + path + "' of thing '" + thingId + "' is personal data of adapter type '" + adapterType
                    + "', which may be used only for " + (allowed.isEmpty() ? "no purpose at all"
                            : "purpose " + String.join(", ", new TreeSet<>(allowed)))
                    + "; API client '" + clientName + "' has " + has + ". Use the key of a client with one of "
                    + "those purposes (./lantaarn clients add <name> --role reader --purpose <id>), or read the "
                    + "whole thing, which leaves personal data out.";
        }
    }

    /** A refusal on its way to the servlet's answer. */
    static final class RefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Refusal refusal;

        RefusedException(Refusal refusal) {
            super(refusal.path(), null, false, false);
            this.refusal = refusal;
        }
    }

    private final Map<AdapterFactory, PrivacyManifest> factories = new ConcurrentHashMap<>();
    private final Map<AdapterFactory, String> types = new ConcurrentHashMap<>();
    /** Type id to manifest, personal manifests only: the only ones that restrict anything. */
    private volatile Map<String, PrivacyManifest> personal = Map.of();
    private volatile AuditTrail audit;

    /** A guard that knows no adapter yet (tests; the component gets the factories from the service registry). */
    public PurposeGuard() {
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addFactory(AdapterFactory factory) {
        var type = factory.type();
        factories.put(factory, type.privacy());
        types.put(factory, type.id());
        rebuild();
    }

    public void removeFactory(AdapterFactory factory) {
        factories.remove(factory);
        types.remove(factory);
        rebuild();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setAudit(AuditTrail trail) {
        audit = trail;
    }

    public void unsetAudit(AuditTrail trail) {
        if (audit == trail) {
            audit = null;
        }
    }

    private synchronized void rebuild() {
        Map<String, PrivacyManifest> next = new HashMap<>();
        factories.forEach((factory, manifest) -> {
            if (manifest.personalData()) {
                next.put(types.get(factory), manifest);
            }
        });
        personal = Map.copyOf(next);
    }

    /** Whether some personal data is not for this client's purpose (if not, nothing needs a view). */
    boolean restricts(ApiClient client) {
        for (PrivacyManifest manifest : personal.values()) {
            if (!manifest.allows(client.purpose())) {
                return true;
            }
        }
        return false;
    }

    /** The type id and manifest of the thing's adapter when its data is personal and not for the client's purpose. */
    private Optional<Map.Entry<String, PrivacyManifest>> restricting(ApiClient client, JsonObject thing) {
        Map<String, PrivacyManifest> current = personal;
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Optional<JsonValue> adapter = thing.getValue(ADAPTER).filter(JsonValue::isString);
        if (adapter.isEmpty()) {
            return Optional.empty();
        }
        String instance = adapter.get().asString();
        int dot = instance.indexOf('.');
        String type = dot < 0 ? instance : instance.substring(0, dot);
        PrivacyManifest manifest = current.get(type);
        return manifest == null || manifest.allows(client.purpose()) ? Optional.empty()
                : Optional.of(Map.entry(type, manifest));
    }

    /**
     * {@code view} (the thing as the policies let the client see it) without the personal parts that are not for
     * the client's purpose; {@code thing} is the whole thing, which decides its adapter.
     */
    JsonObject view(ApiClient client, JsonObject thing, JsonObject view) {
        Optional<Map.Entry<String, PrivacyManifest>> restricting = restricting(client, thing);
        if (restricting.isEmpty()) {
            return view;
        }
        JsonObject cut = view;
        for (String field : restricting.get().getValue().fields()) {
            cut = remove(cut, segments(field), 0);
        }
        return cut;
    }

    /**
     * Why the client may not read everything at {@code path} of the thing: the part is personal, holds personal
     * parts, or lies in one, and the manifest does not allow the client's purpose. The whole thing ({@code /}) is
     * refused here too when it holds personal parts; callers that serve a view of it ask only for parts.
     */
    Optional<Refusal> refusal(ApiClient client, JsonObject thing, JsonPointer path) {
        Optional<Map.Entry<String, PrivacyManifest>> restricting = restricting(client, thing);
        if (restricting.isEmpty()) {
            return Optional.empty();
        }
        String[] asked = segments(path.toString());
        for (String field : restricting.get().getValue().fields()) {
            if (overlaps(segments(field), asked)) {
                PrivacyManifest manifest = restricting.get().getValue();
                return Optional.of(new Refusal(thing.getValue("thingId").map(JsonValue::formatAsString).orElse(""),
                        path.isEmpty() ? "/" : path.toString(), restricting.get().getKey(), client.purpose(),
                        manifest.purposes()));
            }
        }
        return Optional.empty();
    }

    /** {@link #refusal}, thrown: for the read paths of the API servlet, which answer it with a 403. */
    void check(ApiClient client, JsonObject thing, JsonPointer path) {
        refusal(client, thing, path).ifPresent(refusal -> {
            throw new RefusedException(refusal);
        });
    }

    /** Records the refusal in the audit trail, when the audit service runs. */
    void audit(ApiClient client, String resource, Refusal refusal) {
        AuditTrail trail = audit;
        if (trail != null) {
            trail.record(new AuditEntry(AuditKind.PURPOSE_REFUSED, client.name(), client.purpose(), resource,
                    refusal.thingId(), "refused", "personal data of adapter type " + refusal.adapterType()
                            + " at " + refusal.path() + "; allowed purposes: "
                            + String.join(", ", new TreeSet<>(refusal.allowed()))));
        }
    }

    /** One declared field and one asked path overlap when one lies in the other ({@code *} matches any key). */
    private static boolean overlaps(String[] declared, String[] asked) {
        int common = Math.min(declared.length, asked.length);
        for (int i = 0; i < common; i++) {
            if (!declared[i].equals("*") && !declared[i].equals(asked[i])) {
                return false;
            }
        }
        return true;
    }

    private static JsonObject remove(JsonObject object, String[] field, int at) {
        if (at >= field.length) {
            return object;
        }
        List<String> keys = new ArrayList<>();
        if (field[at].equals("*")) {
            object.getKeys().forEach(key -> keys.add(key.toString()));
        } else if (object.contains(field[at])) {
            keys.add(field[at]);
        }
        JsonObject result = object;
        for (String key : keys) {
            if (at == field.length - 1) {
                result = result.remove(key);
            } else {
                Optional<JsonValue> child = result.getValue(JsonKey.of(key));
                if (child.isPresent() && child.get().isObject()) {
                    result = result.setValue(JsonKey.of(key), remove(child.get().asObject(), field, at + 1));
                }
            }
        }
        return result;
    }

    private static String[] segments(String pointer) {
        String trimmed = pointer.startsWith("/") ? pointer.substring(1) : pointer;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/");
    }
}
