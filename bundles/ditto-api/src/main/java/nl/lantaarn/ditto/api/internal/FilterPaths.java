package nl.lantaarn.ditto.api.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.rql.model.predicates.ast.ExistsNode;
import org.eclipse.ditto.rql.model.predicates.ast.LogicalNode;
import org.eclipse.ditto.rql.model.predicates.ast.MultiComparisonNode;
import org.eclipse.ditto.rql.model.predicates.ast.Node;
import org.eclipse.ditto.rql.model.predicates.ast.SingleComparisonNode;
import org.eclipse.ditto.rql.parser.RqlPredicateParser;

/**
 * The paths of a thing an RQL filter reads to decide a match ({@code features/*}{@code /...} counts from its first
 * {@code *} up: every feature is read to match it). A client may only match on what its policies let it read.
 */
final class FilterPaths {

    private FilterPaths() {
    }

    /** The paths of a filter that is known to parse (the search ran it); none for a blank one. */
    static List<JsonPointer> of(String rql) {
        if (rql == null || rql.isBlank()) {
            return List.of();
        }
        return of(RqlPredicateParser.getInstance().parse(rql).getChildren());
    }

    static List<JsonPointer> of(List<Node> nodes) {
        Set<JsonPointer> paths = new LinkedHashSet<>();
        nodes.forEach(node -> collect(node, paths));
        return new ArrayList<>(paths);
    }

    private static void collect(Node node, Set<JsonPointer> into) {
        if (node instanceof LogicalNode logical) {
            logical.getChildren().forEach(child -> collect(child, into));
        } else if (node instanceof ExistsNode exists) {
            add(exists.getProperty(), into);
        } else if (node instanceof SingleComparisonNode single) {
            add(single.getComparisonProperty(), into);
        } else if (node instanceof MultiComparisonNode multi) {
            add(multi.getComparisonProperty(), into);
        }
    }

    private static void add(String property, Set<JsonPointer> into) {
        if ("thingId".equals(property)) {
            return;
        }
        StringBuilder pointer = new StringBuilder();
        for (String segment : property.split("/")) {
            if ("*".equals(segment)) {
                break;
            }
            if (!segment.isEmpty()) {
                pointer.append('/').append(segment);
            }
        }
        into.add(pointer.length() == 0 ? JsonPointer.empty() : JsonPointer.of(pointer.toString()));
    }
}
