package nl.lantaarn.http.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.Permissions;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.ResourceKey;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;

import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;

/**
 * One loaded set of access policies and the decisions it makes, on Eclipse Ditto's policy enforcer. Immutable apart
 * from a per-client cache; a reload makes a new one.
 * <p>
 * A client acts as the subjects {@code lantaarn:client:<name>} and {@code lantaarn:role:<role>} for each role it
 * holds, including the lower ones (a writer is also {@code lantaarn:role:reader}). A thing is visible when the client
 * may READ its domain ({@code domain:/<last namespace segment>}), one of its zones ({@code zone:/<id>}; a thing in no
 * zone needs {@code zone:/} without revokes) and, field by field, its parts ({@code thing:/...}).
 */
final class AccessPolicy {

    static final String SUBJECT_CLIENT = "lantaarn:client:";
    static final String SUBJECT_ROLE = "lantaarn:role:";
    private static final Permissions READ = Permissions.newInstance("READ");
    private static final Permissions WRITE = Permissions.newInstance("WRITE");
    private static final ResourceKey THING_ROOT = ResourceKey.newInstance("thing", JsonPointer.empty());
    private static final ResourceKey DOMAIN_ROOT = ResourceKey.newInstance("domain", JsonPointer.empty());
    private static final ResourceKey ZONE_ROOT = ResourceKey.newInstance("zone", JsonPointer.empty());
    /** OIDC clients could be many; a bound keeps the cache from growing without end. */
    private static final int MAX_CACHED_CLIENTS = 10_000;

    /** What the enforcer said once about a client, kept until the next reload. */
    private record Subject(AuthorizationContext context, boolean readsEverything, boolean anyZone) {
    }

    private final Enforcer enforcer;
    private final Function<JsonObject, List<String>> zonesOf;
    private final Map<ApiClient, Subject> subjects = new ConcurrentHashMap<>();

    /**
     * @param zonesOf the zones a thing lies in, from its {@code attributes/location} or {@code attributes/zone}
     */
    AccessPolicy(Policy policy, Function<JsonObject, List<String>> zonesOf) {
        this.enforcer = PolicyEnforcers.defaultEvaluator(policy);
        this.zonesOf = zonesOf;
    }

    boolean readsEverything(ApiClient client) {
        return subject(client).readsEverything();
    }

    Optional<JsonObject> readable(ApiClient client, JsonObject thing) {
        Subject subject = subject(client);
        if (subject.readsEverything()) {
            return Optional.of(thing);
        }
        if (!inScope(subject, thing, READ)) {
            return Optional.empty();
        }
        JsonObject view = enforcer.buildJsonView(THING_ROOT, thing, subject.context(), READ);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        Optional<JsonValue> thingId = thing.getValue("thingId");
        if (thingId.isPresent() && !view.contains("thingId")) {
            view = JsonObject.newBuilder().set("thingId", thingId.get()).setAll(view).build();
        }
        return Optional.of(view);
    }

    boolean mayRead(ApiClient client, JsonObject thing, JsonPointer path) {
        return may(subject(client), thing, path, READ);
    }

    boolean mayWrite(ApiClient client, JsonObject thing, JsonPointer path) {
        return may(subject(client), thing, path, WRITE);
    }

    private boolean may(Subject subject, JsonObject thing, JsonPointer path, Permissions permission) {
        return (permission == READ && subject.readsEverything()) || inScope(subject, thing, permission)
                && enforcer.hasUnrestrictedPermissions(ResourceKey.newInstance("thing", path), subject.context(),
                        permission);
    }

    /** Whether the thing's domain and zone allow the permission. */
    private boolean inScope(Subject subject, JsonObject thing, Permissions permission) {
        String domain = domain(thing);
        if (domain == null || !enforcer.hasUnrestrictedPermissions(
                ResourceKey.newInstance("domain", JsonPointer.of("/" + domain)), subject.context(), permission)) {
            return false;
        }
        if (enforcer.hasUnrestrictedPermissions(ZONE_ROOT, subject.context(), permission)) {
            return true;
        }
        if (!subject.anyZone()) {
            return false;
        }
        for (String zone : zonesOf.apply(thing)) {
            if (enforcer.hasUnrestrictedPermissions(ResourceKey.newInstance("zone", JsonPointer.of("/" + zone)),
                    subject.context(), permission)) {
                return true;
            }
        }
        return false;
    }

    /** The last segment of the thing id's namespace: {@code safety} for {@code nl.eindhoven.safety:noise-7}. */
    static String domain(JsonObject thing) {
        String id = thing.getValue("thingId").filter(JsonValue::isString).map(JsonValue::asString).orElse(null);
        if (id == null || id.indexOf(':') < 0) {
            return null;
        }
        String namespace = id.substring(0, id.indexOf(':'));
        return namespace.substring(namespace.lastIndexOf('.') + 1);
    }

    private Subject subject(ApiClient client) {
        Subject known = subjects.get(client);
        if (known != null) {
            return known;
        }
        if (subjects.size() >= MAX_CACHED_CLIENTS) {
            subjects.clear();
        }
        return subjects.computeIfAbsent(client, this::decide);
    }

    private Subject decide(ApiClient client) {
        List<AuthorizationSubject> ids = new ArrayList<>();
        ids.add(AuthorizationSubject.newInstance(SUBJECT_CLIENT + client.name()));
        for (Role role : Role.values()) {
            if (client.may(role)) {
                ids.add(AuthorizationSubject.newInstance(SUBJECT_ROLE + role.id()));
            }
        }
        AuthorizationContext context = AuthorizationContext.newInstance(DittoAuthorizationContextType.UNSPECIFIED,
                ids);
        boolean everything = enforcer.hasUnrestrictedPermissions(THING_ROOT, context, READ)
                && enforcer.hasUnrestrictedPermissions(DOMAIN_ROOT, context, READ)
                && enforcer.hasUnrestrictedPermissions(ZONE_ROOT, context, READ);
        boolean anyZone = enforcer.hasPartialPermissions(ZONE_ROOT, context, READ)
                || enforcer.hasPartialPermissions(ZONE_ROOT, context, WRITE);
        return new Subject(context, everything, anyZone);
    }
}
