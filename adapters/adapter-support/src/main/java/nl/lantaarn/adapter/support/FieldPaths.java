package nl.lantaarn.adapter.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Collects the JSON pointers an adapter writes, for {@code PrivacyManifest.Builder.fields}:
 * {@code new FieldPaths().attributes("adapter", "location").feature("crowd", properties).toArray()}. Not thread safe;
 * use it while building the adapter type.
 */
public final class FieldPaths {

    private final List<String> paths = new ArrayList<>();

    /** {@code /attributes/<name>} for each name. */
    public FieldPaths attributes(String... names) {
        for (String name : names) {
            paths.add("/attributes/" + name);
        }
        return this;
    }

    /** {@code /features/<feature>/definition} and {@code /features/<feature>/properties/<property>} for each one. */
    public FieldPaths feature(String feature, Collection<String> properties) {
        String base = "/features/" + feature;
        paths.add(base + "/definition");
        for (String property : properties) {
            paths.add(base + "/properties/" + property);
        }
        return this;
    }

    /** The pointers in the order they were added. */
    public String[] toArray() {
        return paths.toArray(String[]::new);
    }
}
