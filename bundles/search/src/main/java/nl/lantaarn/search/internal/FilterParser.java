package nl.lantaarn.search.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.ditto.rql.model.ParsedPlaceholder;
import org.eclipse.ditto.rql.model.ParserException;
import org.eclipse.ditto.rql.model.predicates.ast.ExistsNode;
import org.eclipse.ditto.rql.model.predicates.ast.LogicalNode;
import org.eclipse.ditto.rql.model.predicates.ast.MultiComparisonNode;
import org.eclipse.ditto.rql.model.predicates.ast.Node;
import org.eclipse.ditto.rql.model.predicates.ast.RootNode;
import org.eclipse.ditto.rql.model.predicates.ast.SingleComparisonNode;
import org.eclipse.ditto.rql.parser.RqlPredicateParser;

/**
 * Turns a Ditto RQL filter into a {@link Filter}: Eclipse Ditto's own parser builds the syntax tree; this class checks
 * the properties and values and compiles the tree.
 */
final class FilterParser {

    static final String PARAMETER = "filter";
    /** Longest filter accepted; a longer one is almost certainly not written by hand. */
    static final int MAX_LENGTH = 8192;

    private static final Pattern POSITION = Pattern.compile("\\(line (\\d+), column (\\d+)\\)");
    private static final List<String> ROOTS = List.of("thingId", "policyId", "definition", "_revision", "_modified",
            "_created", "attributes", "features");
    private static final String PATHS = "thingId, policyId, definition, _revision, _modified, _created, attributes/..."
            + " or features/<featureId>/properties/... (features/*/... matches any feature)";

    private FilterParser() {
        throw new AssertionError("no instances");
    }

    /** The filter for an RQL string; null or blank means every thing. */
    static Filter parse(String rql) {
        if (rql == null || rql.isBlank()) {
            return Filter.ALL;
        }
        if (rql.length() > MAX_LENGTH) {
            throw new QueryException(PARAMETER, "The filter is " + rql.length() + " characters long; the limit is "
                    + MAX_LENGTH + ".");
        }
        RootNode root;
        try {
            root = RqlPredicateParser.getInstance().parse(rql);
        } catch (ParserException e) {
            throw syntaxError(rql, e);
        } catch (RuntimeException e) {
            throw new QueryException(PARAMETER, "The filter is not valid RQL: " + e.getMessage());
        } catch (StackOverflowError e) {
            throw tooDeep();
        }
        try {
            List<Filter> children = compileAll(root.getChildren());
            return children.size() == 1 ? children.get(0) : new Filter.And(children);
        } catch (StackOverflowError e) {
            throw tooDeep();
        }
    }

    private static QueryException tooDeep() {
        return new QueryException(PARAMETER, "The filter nests and/or/not too deeply; flatten it, e.g. and(a,b,c)"
                + " instead of and(a,and(b,c)).");
    }

    private static QueryException syntaxError(String rql, ParserException e) {
        String message = e.getMessage() == null ? "syntax error" : e.getMessage();
        int position = -1;
        Matcher m = POSITION.matcher(message);
        if (m.find()) {
            position = Integer.parseInt(m.group(2));
        }
        // the parser's message is "<what> (line 1, column n):\n<input>\n<caret>"; keep the first part
        String what = message.lines().findFirst().orElse(message);
        what = POSITION.matcher(what).replaceAll("").replaceAll("[\\s:]+$", "").trim();
        String echo = rql.length() <= 200 ? rql : rql.substring(0, 197) + "...";
        String detail = position > 0
                ? String.format(Locale.ROOT, "The filter is not valid RQL at position %d: %s. Filter: %s", position,
                        what, echo)
                : "The filter is not valid RQL: " + what + ". Filter: " + echo;
        return new QueryException(PARAMETER, detail, position);
    }

    private static List<Filter> compileAll(List<Node> nodes) {
        List<Filter> filters = new ArrayList<>(nodes.size());
        for (Node node : nodes) {
            filters.add(compile(node));
        }
        return filters;
    }

    private static Filter compile(Node node) {
        if (node instanceof LogicalNode logical) {
            List<Filter> children = compileAll(logical.getChildren());
            return switch (logical.getType()) {
                case AND -> new Filter.And(children);
                case OR -> new Filter.Or(children);
                case NOT -> {
                    if (children.size() != 1) {
                        throw new QueryException(PARAMETER, "not(...) takes exactly one condition, got "
                                + children.size() + ".");
                    }
                    yield new Filter.Not(children.get(0));
                }
            };
        }
        if (node instanceof ExistsNode exists) {
            return new Filter.Exists(path(exists.getProperty()));
        }
        if (node instanceof SingleComparisonNode single) {
            Filter.PathRef path = path(single.getComparisonProperty());
            SingleComparisonNode.Type type = single.getComparisonType();
            Object operand = operand(type.getName(), path, single.getComparisonValue());
            return switch (type) {
                case EQ -> new Filter.Compare(path, Values.Op.EQ, List.of(operand));
                case NE -> new Filter.Not(new Filter.Compare(path, Values.Op.EQ, List.of(operand)));
                case GT -> ordered(path, Values.Op.GT, operand, "gt");
                case GE -> ordered(path, Values.Op.GE, operand, "ge");
                case LT -> ordered(path, Values.Op.LT, operand, "lt");
                case LE -> ordered(path, Values.Op.LE, operand, "le");
                case LIKE -> {
                    if (!(operand instanceof String pattern)) {
                        throw new QueryException(PARAMETER, "like(" + path + ",...) needs a string pattern in quotes,"
                                + " e.g. like(thingId,\"nl.eindhoven.*\"); got " + single.getComparisonValue() + ".");
                    }
                    yield new Filter.Like(path, new Filter.LikePattern(pattern));
                }
            };
        }
        if (node instanceof MultiComparisonNode multi) {
            Filter.PathRef path = path(multi.getComparisonProperty());
            List<Object> operands = new ArrayList<>();
            for (Object value : multi.getComparisonValue()) {
                operands.add(operand("in", path, value));
            }
            return new Filter.Compare(path, Values.Op.EQ, operands);
        }
        throw new QueryException(PARAMETER, "The filter contains a condition this hub does not support: " + node + ".");
    }

    private static Filter ordered(Filter.PathRef path, Values.Op op, Object operand, String name) {
        if (operand == Values.NULL) {
            throw new QueryException(PARAMETER, name + "(" + path + ",null) compares with null, which has no order;"
                    + " use eq(" + path + ",null) or exists(" + path + ").");
        }
        return new Filter.Compare(path, op, List.of(operand));
    }

    private static Object operand(String operator, Filter.PathRef path, Object value) {
        if (value == null) {
            return Values.NULL;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof ParsedPlaceholder placeholder) {
            throw new QueryException(PARAMETER, operator + "(" + path + "," + placeholder
                    + "): placeholders are not supported in searches; write the value itself, strings in quotes.");
        }
        throw new QueryException(PARAMETER, operator + "(" + path + ",...): unsupported value " + value + ".");
    }

    /** Checks that a property can be searched and normalises it (no leading slash). */
    static Filter.PathRef path(String property) {
        String path = property.trim();
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        String[] segments = path.split("/", -1);
        if (path.isEmpty() || !ROOTS.contains(segments[0])) {
            throw new QueryException(PARAMETER, "'" + property + "' cannot be searched; use " + PATHS + ".");
        }
        for (String segment : segments) {
            if (segment.isEmpty()) {
                throw new QueryException(PARAMETER, "'" + property + "' has an empty path segment; write paths like"
                        + " features/noise/properties/laeq.");
            }
        }
        boolean leaf = segments[0].equals("attributes") || segments[0].equals("features");
        if (!leaf && segments.length > 1) {
            throw new QueryException(PARAMETER, "'" + property + "': " + segments[0] + " has no sub-fields; use " + PATHS
                    + ".");
        }
        for (int i = 0; i < segments.length; i++) {
            if ("*".equals(segments[i]) && !(segments[0].equals("features") && i == 1)) {
                throw new QueryException(PARAMETER, "'" + property + "': * stands only for the feature id, as in"
                        + " features/*/properties/laeq.");
            }
        }
        return Filter.PathRef.of(path);
    }
}
