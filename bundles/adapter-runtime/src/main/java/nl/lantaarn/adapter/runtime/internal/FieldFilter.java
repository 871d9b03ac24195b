package nl.lantaarn.adapter.runtime.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;

import nl.lantaarn.adapter.api.PrivacyManifest;

/**
 * The fields of a privacy manifest as a tree, made once per adapter type, that cuts what a manifest does not declare
 * out of a thing update's merge patch before it reaches the twin. A declared pointer covers everything below it; a
 * segment {@code *} matches any one key (as {@link PrivacyManifest#declares}). {@code null} values (removals) always
 * pass: they store nothing. A patch that is wholly declared is returned as it is, without a copy.
 */
final class FieldFilter {

    /** One segment of the declared pointers. */
    private static final class Node {
        final Map<String, Node> children = new HashMap<>(4);
        Node any;
        /** A declared pointer ends here: everything below is declared. */
        boolean covered;
    }

    private final Node root = new Node();

    private FieldFilter() {
    }

    static FieldFilter of(PrivacyManifest manifest) {
        FieldFilter filter = new FieldFilter();
        for (String field : manifest.fields()) {
            Node node = filter.root;
            String trimmed = field.substring(1);
            if (!trimmed.isEmpty()) {
                for (String segment : trimmed.split("/")) {
                    if (segment.equals("*")) {
                        node = node.any == null ? (node.any = new Node()) : node.any;
                    } else {
                        node = node.children.computeIfAbsent(segment, key -> new Node());
                    }
                }
            }
            node.covered = true;
        }
        return filter;
    }

    /**
     * The patch without the leaves the manifest does not declare.
     *
     * @param dropped receives the JSON pointer of each dropped leaf (or object); called only when something is dropped
     * @return {@code patch} itself when everything is declared, else a copy without the undeclared parts
     */
    JsonObject filter(JsonObject patch, Consumer<String> dropped) {
        if (root.covered || allDeclared(patch, root, root)) {
            return patch;
        }
        return cut(patch, root, null, "", dropped);
    }

    /** Whether every leaf below is declared; allocates nothing but the object's iterator. */
    private static boolean allDeclared(JsonObject object, Node node, Node alt) {
        for (JsonField field : object) {
            JsonValue value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            String key = field.getKeyName();
            Node named = child(node, alt, key);
            Node wild = wildcard(node, alt);
            if (covered(named) || covered(wild)) {
                continue;
            }
            if (named == null && wild == null) {
                return false;
            }
            if (!value.isObject() || value.asObject().isEmpty()) {
                // a leaf (or an empty object) where only deeper pointers are declared
                return false;
            }
            if (!allDeclared(value.asObject(), named != null ? named : wild, named != null ? wild : null)) {
                return false;
            }
        }
        return true;
    }

    private static JsonObject cut(JsonObject object, Node node, Node alt, String pointer, Consumer<String> dropped) {
        JsonObjectBuilder kept = JsonObject.newBuilder();
        for (JsonField field : object) {
            JsonValue value = field.getValue();
            String key = field.getKeyName();
            if (value.isNull()) {
                kept.set(key, value);
                continue;
            }
            Node named = child(node, alt, key);
            Node wild = wildcard(node, alt);
            String path = pointer + "/" + key;
            if (covered(named) || covered(wild)) {
                kept.set(key, value);
            } else if ((named == null && wild == null) || !value.isObject() || value.asObject().isEmpty()) {
                dropped.accept(path);
            } else {
                JsonObject inner = cut(value.asObject(), named != null ? named : wild, named != null ? wild : null,
                        path, dropped);
                if (!inner.isEmpty()) {
                    kept.set(key, inner);
                }
            }
        }
        return kept.build();
    }

    private static Node child(Node node, Node alt, String key) {
        Node found = node.children.get(key);
        return found != null || alt == null ? found : alt.children.get(key);
    }

    private static Node wildcard(Node node, Node alt) {
        return node.any != null || alt == null ? node.any : alt.any;
    }

    private static boolean covered(Node node) {
        return node != null && node.covered;
    }
}
