package nl.lantaarn.adapter.testkit.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingsModelFactory;

import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.things.model.ThingUpdate;

/** The checks on one thing update: a valid thing under the hub's conventions, and fields within the manifest. */
public final class ThingChecks {

    /** The top-level fields of a thing an adapter may write; the id travels beside the patch. */
    private static final Set<String> THING_FIELDS = Set.of("attributes", "features", "definition", "policyId");
    /** Deeper patches are reported rather than walked: a mapped thing is a few levels deep. */
    private static final int MAX_DEPTH = 64;

    private ThingChecks() {
        throw new AssertionError("no instances");
    }

    /**
     * The thing the update would create on an empty twin, checked against {@link HubConventions} and the type's
     * domains.
     *
     * @return every problem, each naming its field; empty when the update is valid
     */
    public static List<String> validate(ThingUpdate update, AdapterType type) {
        List<String> problems = new ArrayList<>();
        Optional<String> domain = HubConventions.domainOf(update.thingId());
        if (domain.isEmpty()) {
            problems.add("thingId " + update.thingId() + ": namespace must be <country>.<municipality>.<domain>, "
                    + "e.g. nl.eindhoven." + type.domains().iterator().next());
        } else if (!type.domains().contains(domain.get())) {
            problems.add("thingId " + update.thingId() + ": domain '" + domain.get()
                    + "' is not one of the adapter type's domains " + type.domains());
        }
        for (JsonField field : update.patch()) {
            if (!THING_FIELDS.contains(field.getKeyName())) {
                problems.add("patch: top-level field '" + field.getKeyName() + "' is not part of a thing; expected "
                        + "one of " + THING_FIELDS);
            }
        }
        for (String pointer : leafPointers(update.patch())) {
            Optional<JsonValue> leaf = pointer.equals("/") ? Optional.empty() : update.patch().getValue(pointer);
            if (leaf.isPresent() && leaf.get().isNumber() && !Double.isFinite(leaf.get().asDouble())) {
                problems.add("patch" + pointer + ": " + leaf.get() + " is not a finite number; JSON has no "
                        + "infinity or NaN");
            }
        }
        Thing thing;
        try {
            JsonObject created = withoutNulls(update.patch(), 0).setValue("thingId", update.thingId().toString());
            thing = ThingsModelFactory.newThing(created);
        } catch (RuntimeException e) {
            problems.add("patch is not a valid Ditto thing: " + e.getMessage());
            return problems;
        }
        problems.addAll(HubConventions.validate(thing));
        return problems;
    }

    /**
     * The JSON pointers of the leaves of a patch (values that are not objects, and empty objects), in document
     * order. Walks iteratively so a deep patch cannot exhaust the stack.
     */
    public static List<String> leafPointers(JsonObject patch) {
        List<String> leaves = new ArrayList<>();
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {"", patch, 0});
        while (!stack.isEmpty()) {
            Object[] entry = stack.pop();
            String pointer = (String) entry[0];
            JsonValue value = (JsonValue) entry[1];
            int depth = (Integer) entry[2];
            if (value.isObject() && !value.asObject().isEmpty() && depth < MAX_DEPTH) {
                List<JsonField> fields = new ArrayList<>();
                value.asObject().forEach(fields::add);
                for (int i = fields.size() - 1; i >= 0; i--) {
                    JsonField field = fields.get(i);
                    stack.push(new Object[] {pointer + "/" + field.getKeyName(), field.getValue(), depth + 1});
                }
            } else {
                leaves.add(pointer.isEmpty() ? "/" : pointer);
            }
        }
        return leaves;
    }

    /** The leaf pointers of the patch that the manifest does not declare. */
    public static List<String> undeclared(ThingUpdate update, PrivacyManifest manifest) {
        List<String> result = new ArrayList<>();
        for (String pointer : leafPointers(update.patch())) {
            if (!manifest.declares(pointer)) {
                result.add(pointer);
            }
        }
        return result;
    }

    /** Applying a merge patch to nothing drops its nulls (RFC 7396). */
    private static JsonObject withoutNulls(JsonObject object, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("patch is nested deeper than " + MAX_DEPTH + " levels");
        }
        JsonObjectBuilder builder = JsonObject.newBuilder();
        for (JsonField field : object) {
            JsonValue value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            builder.set(field.getKeyName(), value.isObject() ? withoutNulls(value.asObject(), depth + 1) : value);
        }
        return builder.build();
    }
}
