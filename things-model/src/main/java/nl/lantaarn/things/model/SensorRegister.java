package nl.lantaarn.things.model;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

/**
 * The public sensor register's fields on a thing: the attribute object {@code attributes/register}, after the fields of
 * Amsterdam's sensor register (sensorenregister). A thing that carries it is a registered sensor in public space;
 * {@link #validate} names every breach.
 * <p>
 * {@code active} and {@code deactivatedAt} are kept by the hub itself: a sensor past {@code activeUntil} is shown
 * inactive and its data is no longer accepted.
 */
public final class SensorRegister {

    /** The attribute holding the register object. */
    public static final String ATTRIBUTE = "register";
    public static final String SENSOR_TYPE = "sensorType";
    public static final String ORGANISATION = "organisation";
    /** Object: {@code name} (optional), {@code email} and/or {@code url}, whom citizens ask. */
    public static final String CONTACT = "contact";
    public static final String CONTAINS_PERSONAL_DATA = "containsPersonalData";
    public static final String PRIVACY_STATEMENT = "privacyStatement";
    public static final String GOAL = "goal";
    public static final String LEGAL_GROUND = "legalGround";
    /** ISO date {@code YYYY-MM-DD}, the last day the sensor may collect (inclusive). */
    public static final String ACTIVE_UNTIL = "activeUntil";
    /** Array of area names or zone ids, for mobile sensors that have no fixed location. */
    public static final String REGIONS = "regions";
    public static final String REFERENCE = "reference";
    /** Kept by the hub: false once the sensor is past {@code activeUntil}. */
    public static final String ACTIVE = "active";
    /** Kept by the hub: when it found the sensor past {@code activeUntil}. */
    public static final String DEACTIVATED_AT = "deactivatedAt";

    /** The fields an operator fills in (without the two the hub keeps). */
    public static final List<String> FIELDS = List.of(SENSOR_TYPE, ORGANISATION, CONTACT, CONTAINS_PERSONAL_DATA,
            PRIVACY_STATEMENT, GOAL, LEGAL_GROUND, ACTIVE_UNTIL, REGIONS, REFERENCE);

    /** The legal grounds of AVG (GDPR) article 6(1), by the names the adapter SPI's privacy manifest uses. */
    public static final List<String> LEGAL_GROUNDS = List.of("CONSENT", "CONTRACT", "LEGAL_OBLIGATION",
            "VITAL_INTERESTS", "PUBLIC_TASK", "LEGITIMATE_INTERESTS");

    private static final Set<String> KNOWN;
    static {
        List<String> known = new ArrayList<>(FIELDS);
        known.add(ACTIVE);
        known.add(DEACTIVATED_AT);
        KNOWN = Set.copyOf(known);
    }
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final int MAX_TEXT = 500;
    private static final int MAX_REGIONS = 50;

    private SensorRegister() {
        throw new AssertionError("no instances");
    }

    /**
     * Checks a register object.
     *
     * @param register the value of {@code attributes/register}
     * @param field    how to name it in problems, e.g. {@code attributes/register}
     * @return every problem, each naming its field; empty when the register is complete and valid
     */
    public static List<String> validate(JsonValue register, String field) {
        List<String> problems = new ArrayList<>();
        if (!register.isObject()) {
            problems.add(field + ": must be an object with the register fields " + FIELDS + ", was " + register);
            return problems;
        }
        JsonObject object = register.asObject();
        for (String key : object.getKeys().stream().map(Object::toString).toList()) {
            if (!KNOWN.contains(key)) {
                problems.add(field + "/" + key + ": is not a register field; the fields are " + FIELDS);
            }
        }
        requiredText(object, SENSOR_TYPE, field, problems, "e.g. \"Geluidsensor\"");
        requiredText(object, ORGANISATION, field, problems, "the organisation responsible for the sensor");
        requiredText(object, GOAL, field, problems, "why the sensor collects data");
        checkContact(object, field, problems);
        Optional<JsonValue> personal = object.getValue(CONTAINS_PERSONAL_DATA);
        boolean personalData = false;
        if (personal.isEmpty() || !personal.get().isBoolean()) {
            problems.add(field + "/" + CONTAINS_PERSONAL_DATA + ": must be true or false"
                    + personal.map(value -> ", was " + value).orElse(" (missing)"));
        } else {
            personalData = personal.get().asBoolean();
        }
        Optional<JsonValue> ground = object.getValue(LEGAL_GROUND);
        if (ground.isPresent() && !ground.get().isNull()) {
            if (!ground.get().isString() || !LEGAL_GROUNDS.contains(ground.get().asString())) {
                problems.add(field + "/" + LEGAL_GROUND + ": must be one of " + LEGAL_GROUNDS + " (AVG article 6(1)), was "
                        + ground.get());
            }
        } else if (personalData) {
            problems.add(field + "/" + LEGAL_GROUND + ": is required when containsPersonalData is true; one of "
                    + LEGAL_GROUNDS);
        }
        Optional<JsonValue> statement = object.getValue(PRIVACY_STATEMENT);
        if (statement.isPresent() && !statement.get().isNull()) {
            if (!statement.get().isString() || !isWebAddress(statement.get().asString())) {
                problems.add(field + "/" + PRIVACY_STATEMENT + ": must be an http(s) address of the privacy statement, "
                        + "was " + statement.get());
            }
        } else if (personalData) {
            problems.add(field + "/" + PRIVACY_STATEMENT + ": is required when containsPersonalData is true: the "
                    + "http(s) address of the privacy statement");
        }
        Optional<JsonValue> until = object.getValue(ACTIVE_UNTIL);
        if (until.isEmpty() || !until.get().isString() || parseDate(until.get().asString()).isEmpty()) {
            problems.add(field + "/" + ACTIVE_UNTIL + ": must be a date YYYY-MM-DD, the last day the sensor may "
                    + "collect" + until.map(value -> ", was " + value).orElse(" (missing)"));
        }
        object.getValue(REGIONS).filter(value -> !value.isNull()).ifPresent(regions -> {
            if (!regions.isArray() || regions.asArray().getSize() > MAX_REGIONS
                    || !regions.asArray().stream().allMatch(r -> r.isString() && !r.asString().isBlank()
                            && r.asString().length() <= MAX_TEXT)) {
                problems.add(field + "/" + REGIONS + ": must be a list of at most " + MAX_REGIONS
                        + " area names or zone ids, was " + regions);
            }
        });
        optionalText(object, REFERENCE, field, problems);
        object.getValue(ACTIVE).filter(value -> !value.isBoolean())
                .ifPresent(value -> problems.add(field + "/" + ACTIVE + ": must be true or false, was " + value));
        optionalText(object, DEACTIVATED_AT, field, problems);
        return problems;
    }

    /** The date of {@code activeUntil} when it is a valid {@code YYYY-MM-DD}. */
    public static Optional<LocalDate> parseDate(String text) {
        if (text == null || !DATE.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(text));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether a sensor with this {@code activeUntil} is past it on {@code today} (ISO date text): the last day counts.
     * Compares the text, as ISO dates of four-digit years sort by date; cheap enough for every payload.
     */
    public static boolean expired(String activeUntil, String today) {
        return activeUntil.compareTo(today) < 0;
    }

    /** The {@code activeUntil} of a register object, if it has a text there. */
    public static Optional<String> activeUntil(JsonObject register) {
        return register.getValue(ACTIVE_UNTIL).filter(JsonValue::isString).map(JsonValue::asString);
    }

    private static boolean isWebAddress(String text) {
        return (text.startsWith("https://") || text.startsWith("http://")) && text.length() > 10
                && text.length() <= 2000 && text.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '<' || c == '>');
    }

    private static void checkContact(JsonObject object, String field, List<String> problems) {
        String name = field + "/" + CONTACT;
        Optional<JsonValue> contact = object.getValue(CONTACT);
        if (contact.isEmpty() || !contact.get().isObject()) {
            problems.add(name + ": must be an object {\"name\":..,\"email\":..} or with \"url\": whom citizens ask"
                    + contact.map(value -> ", was " + value).orElse(" (missing)"));
            return;
        }
        JsonObject c = contact.get().asObject();
        for (String key : c.getKeys().stream().map(Object::toString).toList()) {
            if (!Set.of("name", "email", "url").contains(key)) {
                problems.add(name + "/" + key + ": is not a contact field; the fields are name, email, url");
            }
        }
        optionalText(c, "name", name, problems);
        Optional<JsonValue> email = c.getValue("email").filter(value -> !value.isNull());
        Optional<JsonValue> url = c.getValue("url").filter(value -> !value.isNull());
        email.filter(value -> !value.isString() || !EMAIL.matcher(value.asString()).matches()
                || value.asString().length() > MAX_TEXT)
                .ifPresent(value -> problems.add(name + "/email: must be an e-mail address, was " + value));
        url.filter(value -> !value.isString() || !isWebAddress(value.asString()))
                .ifPresent(value -> problems.add(name + "/url: must be an http(s) address, was " + value));
        if (email.isEmpty() && url.isEmpty()) {
            problems.add(name + ": needs an email or a url where citizens can ask about the sensor");
        }
    }

    private static void requiredText(JsonObject object, String key, String field, List<String> problems,
            String hint) {
        Optional<JsonValue> value = object.getValue(key);
        if (value.isEmpty() || !value.get().isString() || value.get().asString().isBlank()
                || value.get().asString().length() > MAX_TEXT) {
            problems.add(field + "/" + key + ": must be a text of 1-" + MAX_TEXT + " characters, " + hint
                    + value.map(v -> ", was " + v).orElse(" (missing)"));
        }
    }

    private static void optionalText(JsonObject object, String key, String field, List<String> problems) {
        object.getValue(key).filter(value -> !value.isNull())
                .filter(value -> !value.isString() || value.asString().length() > MAX_TEXT)
                .ifPresent(value -> problems.add(field + "/" + key + ": must be a text of at most " + MAX_TEXT
                        + " characters, was " + value));
    }
}
