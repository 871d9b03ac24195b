package nl.lantaarn.search.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.ditto.json.JsonPointer;

/**
 * The paths of the things a search reads to decide its matches and their order: the filter's and the sort's fields,
 * and {@code attributes/location} for the geo conditions. A client may only search on what its policies let it read.
 */
final class QueryPaths {

    private static final JsonPointer LOCATION = JsonPointer.of("/attributes/location");

    private QueryPaths() {
    }

    static List<JsonPointer> of(SearchRequest request) {
        Set<JsonPointer> paths = new LinkedHashSet<>();
        collect(FilterParser.parse(request.filter()), paths);
        for (Sort.Field field : Sort.parse(request.sort()).fields()) {
            add(field.path(), paths);
        }
        if (present(request.near()) || present(request.bbox()) || present(request.zone())
                || present(request.within())) {
            paths.add(LOCATION);
        }
        return new ArrayList<>(paths);
    }

    private static void collect(Filter filter, Set<JsonPointer> into) {
        if (filter instanceof Filter.And and) {
            and.children().forEach(child -> collect(child, into));
        } else if (filter instanceof Filter.Or or) {
            or.children().forEach(child -> collect(child, into));
        } else if (filter instanceof Filter.Not not) {
            collect(not.child(), into);
        } else if (filter instanceof Filter.Exists exists) {
            add(exists.path(), into);
        } else if (filter instanceof Filter.Compare compare) {
            add(compare.path(), into);
        } else if (filter instanceof Filter.Like like) {
            add(like.path(), into);
        }
    }

    /** A wildcard path counts from its first {@code *} up: all features' properties are read to match it. */
    private static void add(Filter.PathRef path, Set<JsonPointer> into) {
        if (path.isThingId()) {
            return;
        }
        StringBuilder pointer = new StringBuilder();
        for (String segment : path.segments()) {
            if ("*".equals(segment)) {
                break;
            }
            pointer.append('/').append(segment);
        }
        into.add(pointer.length() == 0 ? JsonPointer.empty() : JsonPointer.of(pointer.toString()));
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
