package nl.lantaarn.routing.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import nl.lantaarn.adapter.api.PrivacyManifest.LegalGround;

/**
 * The metadata every route must declare: the route's {@code description} and, under {@code routeProperties}, its
 * {@code purpose}, {@code legalBasis} (an AVG article 6(1) ground) and {@code owner}.
 * <p>
 * Camel's YAML DSL 4.14 has no route properties on a {@code route} (Java's {@code routeProperty(key, value)} has no
 * YAML form and unknown keys are errors), so the file is read here first: the {@code routeProperties} block is checked,
 * kept, and replaced by empty lines before Camel reads the file, so Camel's line numbers stay those of the file. The
 * values become Camel route properties of the route definition.
 */
final class RouteMetadata {

    static final String PROPERTIES_KEY = "routeProperties";
    static final String PURPOSE = "purpose";
    static final String LEGAL_BASIS = "legalBasis";
    static final String OWNER = "owner";
    /** Optional: the purpose id the route uses data for; required for routes that consume personal data. */
    static final String PURPOSE_ID = RoutePurposes.PURPOSE_ID;
    private static final java.util.regex.Pattern PURPOSE_ID_FORM = java.util.regex.Pattern.compile(
            "[a-z0-9][a-z0-9-]{0,62}");
    /** Bounds what one value may hold: metadata is a sentence or two, not a document. */
    private static final int MAX_VALUE_LENGTH = 2000;

    /**
     * One route's metadata.
     *
     * @param properties every key of {@code routeProperties}, in file order, including the three required ones
     */
    record Metadata(String description, String purpose, String legalBasis, String owner,
            Map<String, String> properties) {
    }

    /**
     * The file as Camel should read it, and the metadata by route id.
     */
    record Prepared(String content, Map<String, Metadata> byRouteId) {
    }

    /** A route without its metadata, or with metadata that is wrong. */
    static final class MetadataException extends Exception {
        private static final long serialVersionUID = 1L;
        final int line;

        MetadataException(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    private RouteMetadata() {
    }

    /**
     * Checks every route's metadata and blanks the {@code routeProperties} blocks.
     *
     * @throws MetadataException         naming the line and the missing or wrong key
     * @throws RuntimeException          from the YAML parser when the file is not YAML; its message has the line
     */
    static Prepared prepare(String file, String content) throws MetadataException {
        LoadSettings settings = LoadSettings.builder().setLabel(file).setAllowDuplicateKeys(true).build();
        List<String> lines = new ArrayList<>(Arrays.asList(content.split("\n", -1)));
        Map<String, Metadata> byRouteId = new LinkedHashMap<>();
        for (Node document : new Compose(settings).composeAllFromString(content)) {
            if (!(document instanceof SequenceNode root)) {
                // not a route list: Camel reports what is wrong with it
                continue;
            }
            for (Node item : root.getValue()) {
                if (!(item instanceof MappingNode entry)) {
                    continue;
                }
                for (NodeTuple tuple : entry.getValue()) {
                    String kind = text(tuple.getKeyNode());
                    if ("from".equals(kind)) {
                        throw new MetadataException(line(tuple.getKeyNode()), "this route has no purpose: write it as "
                                + "'- route:' with id, description and routeProperties (purpose, legalBasis, owner) "
                                + "instead of '- from:'");
                    }
                    if ("route".equals(kind)) {
                        Metadata metadata = route(tuple, lines);
                        String id = idOf(tuple);
                        if (byRouteId.put(id, metadata) != null) {
                            throw new MetadataException(line(tuple.getKeyNode()), "route id '" + id
                                    + "' is used twice in this file; route ids must be unique");
                        }
                    }
                }
            }
        }
        return new Prepared(String.join("\n", lines), Map.copyOf(byRouteId));
    }

    private static String idOf(NodeTuple route) throws MetadataException {
        MappingNode mapping = (MappingNode) route.getValueNode();
        return value(mapping, "id").filter(s -> !s.isBlank()).orElseThrow(() -> new MetadataException(
                line(route.getKeyNode()), "this route has no id; give every route an id"));
    }

    private static Metadata route(NodeTuple route, List<String> lines) throws MetadataException {
        int routeLine = line(route.getKeyNode());
        if (!(route.getValueNode() instanceof MappingNode mapping)) {
            throw new MetadataException(routeLine, "'route' must be a mapping with id, description, routeProperties "
                    + "and from");
        }
        idOf(route);
        String description = value(mapping, "description").filter(s -> !s.isBlank()).orElseThrow(
                () -> new MetadataException(routeLine, "this route has no description; add 'description:' saying "
                        + "what the route does"));
        List<NodeTuple> tuples = mapping.getValue();
        int index = -1;
        for (int i = 0; i < tuples.size(); i++) {
            if (PROPERTIES_KEY.equals(text(tuples.get(i).getKeyNode()))) {
                index = i;
            }
        }
        if (index < 0) {
            throw new MetadataException(routeLine, "this route has no purpose: add 'routeProperties:' with "
                    + PURPOSE + ", " + LEGAL_BASIS + " and " + OWNER);
        }
        NodeTuple tuple = tuples.get(index);
        int propertiesLine = line(tuple.getKeyNode());
        if (!(tuple.getValueNode() instanceof MappingNode properties)) {
            throw new MetadataException(propertiesLine, PROPERTIES_KEY + " must be a mapping of 'key: text' with "
                    + PURPOSE + ", " + LEGAL_BASIS + " and " + OWNER);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (NodeTuple property : properties.getValue()) {
            String key = text(property.getKeyNode());
            if (key == null || !(property.getValueNode() instanceof ScalarNode scalar)) {
                throw new MetadataException(line(property.getKeyNode()), PROPERTIES_KEY + " holds 'key: text' pairs; "
                        + "'" + key + "' is not text");
            }
            if (scalar.getValue().length() > MAX_VALUE_LENGTH) {
                throw new MetadataException(line(property.getKeyNode()), PROPERTIES_KEY + " '" + key + "' is longer "
                        + "than " + MAX_VALUE_LENGTH + " characters");
            }
            values.put(key, scalar.getValue().trim());
        }
        String purpose = required(values, PURPOSE, propertiesLine);
        String legalBasis = required(values, LEGAL_BASIS, propertiesLine);
        if (Arrays.stream(LegalGround.values()).noneMatch(g -> g.name().equals(legalBasis))) {
            throw new MetadataException(lineOf(properties, LEGAL_BASIS, propertiesLine), LEGAL_BASIS + " '"
                    + legalBasis + "' is not an AVG article 6(1) ground; use one of "
                    + Arrays.stream(LegalGround.values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
        String owner = required(values, OWNER, propertiesLine);
        String purposeId = values.get(PURPOSE_ID);
        if (purposeId != null && !PURPOSE_ID_FORM.matcher(purposeId).matches()) {
            throw new MetadataException(lineOf(properties, PURPOSE_ID, propertiesLine), PURPOSE_ID + " '" + purposeId
                    + "' is not a purpose id: lower-case letters, digits and dashes from the hub's vocabulary "
                    + "(etc/nl.lantaarn.privacy.purposes.cfg), e.g. public-safety");
        }
        blank(lines, tuple, index + 1 < tuples.size() ? tuples.get(index + 1) : null);
        return new Metadata(description, purpose, legalBasis, owner, Map.copyOf(values));
    }

    /**
     * Checks the metadata of a route written in Java (a {@code RouteBuilder} service of another bundle):
     * {@code .description(...)} and {@code .routeProperty(...)} for purpose, legalBasis and owner.
     *
     * @param properties the route properties in declaration order
     * @throws MetadataException naming what is missing or wrong and how to write it (line 0: there is no file)
     */
    static Metadata check(String description, Map<String, String> properties) throws MetadataException {
        if (description == null || description.isBlank()) {
            throw new MetadataException(0, "it has no description; add .description(\"what the route does\")");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> property : properties.entrySet()) {
            String value = property.getValue() == null ? "" : property.getValue().trim();
            if (value.length() > MAX_VALUE_LENGTH) {
                throw new MetadataException(0, "route property '" + property.getKey() + "' is longer than "
                        + MAX_VALUE_LENGTH + " characters");
            }
            values.put(property.getKey(), value);
        }
        for (String key : List.of(PURPOSE, LEGAL_BASIS, OWNER)) {
            String value = values.get(key);
            if (value == null || value.isBlank()) {
                throw new MetadataException(0, "it has no " + key + "; every route declares .routeProperty(\""
                        + PURPOSE + "\", ...), .routeProperty(\"" + LEGAL_BASIS + "\", ...) and .routeProperty(\""
                        + OWNER + "\", ...)");
            }
        }
        String legalBasis = values.get(LEGAL_BASIS);
        if (Arrays.stream(LegalGround.values()).noneMatch(g -> g.name().equals(legalBasis))) {
            throw new MetadataException(0, LEGAL_BASIS + " '" + legalBasis + "' is not an AVG article 6(1) ground; use "
                    + "one of " + Arrays.stream(LegalGround.values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
        return new Metadata(description.trim(), values.get(PURPOSE), legalBasis, values.get(OWNER),
                Map.copyOf(values));
    }

    private static String required(Map<String, String> values, String key, int line) throws MetadataException {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new MetadataException(line, PROPERTIES_KEY + " has no " + key + "; every route declares "
                    + PURPOSE + ", " + LEGAL_BASIS + " and " + OWNER);
        }
        return value;
    }

    /**
     * Replaces the lines of the {@code routeProperties} key and its value by empty lines, so Camel does not see the
     * key but sees everything else on the same line numbers as the file.
     */
    private static void blank(List<String> lines, NodeTuple tuple, NodeTuple next) throws MetadataException {
        Mark start = tuple.getKeyNode().getStartMark().orElseThrow();
        String startLine = lines.get(start.getLine());
        if (!startLine.substring(0, start.getColumn()).isBlank()) {
            throw new MetadataException(start.getLine() + 1, PROPERTIES_KEY + " must start its own line");
        }
        int endExclusive;
        if (next != null) {
            endExclusive = next.getKeyNode().getStartMark().orElseThrow().getLine();
        } else {
            Mark end = tuple.getValueNode().getEndMark().orElseThrow();
            // a block ends where the next token starts: that line belongs to the block only if it has its content
            endExclusive = end.getLine() >= lines.size() || lines.get(end.getLine()).substring(0,
                    Math.min(end.getColumn(), lines.get(end.getLine()).length())).isBlank()
                    ? end.getLine() : end.getLine() + 1;
        }
        for (int i = start.getLine(); i < Math.min(endExclusive, lines.size()); i++) {
            lines.set(i, lines.get(i).endsWith("\r") ? "\r" : "");
        }
    }

    private static int lineOf(MappingNode mapping, String key, int fallback) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (key.equals(text(tuple.getKeyNode()))) {
                return line(tuple.getKeyNode());
            }
        }
        return fallback;
    }

    private static Optional<String> value(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (key.equals(text(tuple.getKeyNode())) && tuple.getValueNode() instanceof ScalarNode scalar) {
                return Optional.of(scalar.getValue());
            }
        }
        return Optional.empty();
    }

    private static String text(Node node) {
        return node instanceof ScalarNode scalar ? scalar.getValue() : null;
    }

    /** 1-based, as editors and snakeyaml's messages count. */
    private static int line(Node node) {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
    }
}
