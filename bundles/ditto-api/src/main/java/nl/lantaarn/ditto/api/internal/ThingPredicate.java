package nl.lantaarn.ditto.api.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.eclipse.ditto.base.model.exceptions.InvalidRqlExpressionException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.json.FieldType;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.rql.model.ParsedPlaceholder;
import org.eclipse.ditto.rql.model.predicates.ast.ExistsNode;
import org.eclipse.ditto.rql.model.predicates.ast.LogicalNode;
import org.eclipse.ditto.rql.model.predicates.ast.MultiComparisonNode;
import org.eclipse.ditto.rql.model.predicates.ast.Node;
import org.eclipse.ditto.rql.model.predicates.ast.RootNode;
import org.eclipse.ditto.rql.model.predicates.ast.SingleComparisonNode;
import org.eclipse.ditto.rql.parser.RqlPredicateParser;
import org.eclipse.ditto.things.model.Thing;

import nl.lantaarn.things.model.Wildcards;

/**
 * Which twin events a session receives: the {@code namespaces} and {@code filter} options of
 * {@code START-SEND-EVENTS}. The RQL filter is parsed by Ditto's parser and evaluated on the thing as it is after the
 * change, with the search's rules: numbers compare with numbers, strings with strings, booleans with booleans; a
 * value of another kind, or a missing one, never matches (so {@code ne} matches only a present, different value).
 */
final class ThingPredicate {

    /** Every event. */
    static final ThingPredicate ALL = new ThingPredicate(Set.of(), null);

    private final Set<String> namespaces;
    private final Node filter;
    private final List<JsonPointer> paths;

    private ThingPredicate(Set<String> namespaces, Node filter) {
        this.namespaces = namespaces;
        this.filter = filter;
        this.paths = filter == null ? List.of() : List.copyOf(FilterPaths.of(List.of(filter)));
    }

    /** The paths of the thing the filter reads (a client must be allowed to read them for a match). */
    List<JsonPointer> paths() {
        return paths;
    }

    /**
     * @param namespaces the namespaces of the things to keep; empty keeps all
     * @param rql        an RQL filter, or {@code null}/blank for none
     * @throws InvalidRqlExpressionException when the filter does not parse or uses a placeholder
     */
    static ThingPredicate of(Set<String> namespaces, String rql, DittoHeaders headers) {
        if (rql == null || rql.isBlank()) {
            return new ThingPredicate(Set.copyOf(namespaces), null);
        }
        RootNode root;
        try {
            root = RqlPredicateParser.getInstance().parse(rql);
        } catch (RuntimeException e) {
            throw InvalidRqlExpressionException.newBuilder()
                    .message("The filter '" + rql + "' is not valid RQL: " + e.getMessage())
                    .description("Write the filter as in Ditto's search, e.g. eq(attributes/zone,\"stratumseind\").")
                    .dittoHeaders(headers).build();
        }
        Node node = root.getChildren().isEmpty() ? null : root.getChildren().get(0);
        rejectPlaceholders(node, rql, headers);
        if (node != null) {
            requirePointers(node, rql, headers);
        }
        return new ThingPredicate(Set.copyOf(namespaces), node);
    }

    boolean test(Thing thing) {
        if (!namespaces.isEmpty()
                && thing.getEntityId().map(id -> !namespaces.contains(id.getNamespace())).orElse(true)) {
            return false;
        }
        return filter == null || matches(filter, thing.toJson(JsonSchemaVersion.V_2, FieldType.regularOrSpecial()));
    }

    private static boolean matches(Node node, JsonObject thing) {
        if (node instanceof LogicalNode logical) {
            List<Node> children = logical.getChildren();
            return switch (logical.getType()) {
                case AND -> children.stream().allMatch(child -> matches(child, thing));
                case OR -> children.stream().anyMatch(child -> matches(child, thing));
                case NOT -> !children.isEmpty() && !matches(children.get(0), thing);
            };
        }
        if (node instanceof ExistsNode exists) {
            return value(thing, exists.getProperty()).isPresent();
        }
        if (node instanceof MultiComparisonNode in) {
            Optional<JsonValue> actual = value(thing, in.getComparisonProperty());
            @SuppressWarnings("unchecked")
            List<Object> candidates = (List<Object>) in.getComparisonValue();
            // compare is null for a value of another kind: no match (not an unboxing NullPointerException)
            return actual.isPresent() && candidates.stream()
                    .anyMatch(c -> Integer.valueOf(0).equals(compare(actual.get(), c)));
        }
        if (node instanceof SingleComparisonNode single) {
            Optional<JsonValue> actual = value(thing, single.getComparisonProperty());
            if (actual.isEmpty()) {
                return false;
            }
            Object expected = single.getComparisonValue();
            if (single.getComparisonType() == SingleComparisonNode.Type.LIKE) {
                return actual.get().isString() && expected instanceof String pattern
                        && Wildcards.matches(pattern, actual.get().asString());
            }
            Integer order = compare(actual.get(), expected);
            if (order == null) {
                return false;
            }
            return switch ((SingleComparisonNode.Type) single.getComparisonType()) {
                case EQ -> order == 0;
                case NE -> order != 0;
                case GT -> order > 0;
                case GE -> order >= 0;
                case LT -> order < 0;
                case LE -> order <= 0;
                default -> false;
            };
        }
        return false;
    }

    private static Optional<JsonValue> value(JsonObject thing, String property) {
        return thing.getValue(JsonPointer.of(property));
    }

    /** Every property of the filter is a JSON pointer ({@code attributes//zone} is not), checked before any event. */
    private static void requirePointers(Node node, String rql, DittoHeaders headers) {
        String property = node instanceof ExistsNode exists ? exists.getProperty()
                : node instanceof SingleComparisonNode single ? single.getComparisonProperty()
                : node instanceof MultiComparisonNode multi ? multi.getComparisonProperty() : null;
        if (node instanceof LogicalNode logical) {
            logical.getChildren().forEach(child -> requirePointers(child, rql, headers));
        } else if (property != null) {
            try {
                JsonPointer.of(property);
            } catch (RuntimeException e) {
                throw InvalidRqlExpressionException.newBuilder()
                        .message("The filter '" + rql + "' reads '" + property + "', which is not a path of a thing: "
                                + e.getMessage())
                        .description("Write paths like attributes/zone or features/noise/properties/laeq: no empty "
                                + "segments.")
                        .dittoHeaders(headers).build();
            }
        }
    }

    /** The order of {@code actual} against {@code expected}; {@code null} when they are not of one kind. */
    private static Integer compare(JsonValue actual, Object expected) {
        if (expected == null) {
            return actual.isNull() ? 0 : null;
        }
        if (expected instanceof Number number && actual.isNumber()) {
            return Double.compare(actual.asDouble(), number.doubleValue());
        }
        if (expected instanceof String text && actual.isString()) {
            return Integer.signum(actual.asString().compareTo(text));
        }
        if (expected instanceof Boolean flag && actual.isBoolean()) {
            return actual.asBoolean() == flag ? 0 : (actual.asBoolean() ? 1 : -1);
        }
        return null;
    }

    private static void rejectPlaceholders(Node node, String rql, DittoHeaders headers) {
        boolean placeholder = false;
        if (node instanceof LogicalNode logical) {
            logical.getChildren().forEach(child -> rejectPlaceholders(child, rql, headers));
        } else if (node instanceof SingleComparisonNode single) {
            placeholder = single.getComparisonValue() instanceof ParsedPlaceholder;
        } else if (node instanceof MultiComparisonNode multi) {
            placeholder = ((List<?>) multi.getComparisonValue()).stream().anyMatch(ParsedPlaceholder.class::isInstance);
        }
        if (placeholder) {
            throw InvalidRqlExpressionException.newBuilder()
                    .message("The filter '" + rql + "' uses a placeholder (such as time:now); the hub does not "
                            + "resolve placeholders.")
                    .description("Write the value itself instead of the placeholder.")
                    .dittoHeaders(headers).build();
        }
    }
}
