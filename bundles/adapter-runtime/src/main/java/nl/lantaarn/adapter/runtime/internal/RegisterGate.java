package nl.lantaarn.adapter.runtime.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;

import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.things.model.SensorRegister;
import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.api.TwinService;

/**
 * The sensor register at the door of the twin, one per adapter instance: it writes the instance's register fields
 * ({@code register.*} in its configuration, with the privacy manifest's defaults) onto each thing the instance
 * updates, refuses updates of a sensor past its {@code activeUntil}, and, with {@code quarantineUnregistered}, updates
 * of a thing that is not in the register.
 * <p>
 * Threads: {@link #admit} runs on the instance's worker.
 */
final class RegisterGate {

    /** Configuration keys of the register fields start with this. */
    static final String PREFIX = "register.";
    /** {@code register.exempt = <why>}: the instance's things are no sensors in public space (e.g. citizen reports). */
    static final String EXEMPT = "exempt";
    private static final JsonPointer REGISTER = JsonPointer.of("attributes/" + SensorRegister.ATTRIBUTE);
    /** Bounds the memory of stamped things; forgetting them only means stamping again. */
    private static final int MAX_STAMPED = 100_000;

    /** A gate for an instance that configures no register: things are registered through the API, or not at all. */
    static final RegisterGate NONE = new RegisterGate(null, null, null);

    private final JsonObject stampPatch;
    private final String activeUntil;
    private final String exempt;
    // concurrent: a worker left to finish a stuck call may still apply its updates beside the new one
    private final Set<String> stamped = ConcurrentHashMap.newKeySet();

    private RegisterGate(JsonObject register, String activeUntil, String exempt) {
        this.stampPatch = register == null ? null
                : JsonObject.newBuilder().set(REGISTER, register).build();
        this.activeUntil = activeUntil;
        this.exempt = exempt;
    }

    /**
     * The gate of an instance from the {@code register.*} keys of its configuration (prefix removed) and its type's
     * privacy manifest, which gives {@code containsPersonalData}, {@code goal} and {@code legalGround} unless the
     * configuration names them.
     *
     * @throws IllegalArgumentException naming each configuration key that is missing or wrong
     */
    static RegisterGate of(Map<String, Object> register, PrivacyManifest manifest) {
        if (register.isEmpty()) {
            return NONE;
        }
        Object exempt = register.get(EXEMPT);
        if (exempt != null) {
            if (register.size() > 1 || String.valueOf(exempt).isBlank()) {
                throw new IllegalArgumentException(PREFIX + EXEMPT + " says why the instance's things are no sensors "
                        + "in public space; it goes alone, without other register." + " keys");
            }
            return new RegisterGate(null, null, String.valueOf(exempt).strip());
        }
        JsonObjectBuilder json = JsonObject.newBuilder();
        JsonObjectBuilder contact = JsonObject.newBuilder();
        List<String> problems = new ArrayList<>();
        if (manifest != null) {
            json.set(SensorRegister.CONTAINS_PERSONAL_DATA, manifest.personalData());
            json.set(SensorRegister.GOAL, manifest.purpose());
            json.set(SensorRegister.LEGAL_GROUND, manifest.legalGround().name());
        }
        register.forEach((key, raw) -> {
            String value = raw instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                    : String.valueOf(raw).strip();
            switch (key) {
                case "contact.name", "contact.email", "contact.url" -> contact.set(key.substring(8), value);
                case SensorRegister.CONTAINS_PERSONAL_DATA -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        problems.add(PREFIX + key + ": must be true or false, was '" + value + "'");
                    } else {
                        json.set(key, Boolean.parseBoolean(value));
                    }
                }
                case SensorRegister.REGIONS -> {
                    JsonArray regions = JsonArray.newBuilder().addAll(List.of(value.split(",")).stream()
                            .map(String::strip).filter(region -> !region.isEmpty()).map(JsonValue::of).toList())
                            .build();
                    json.set(key, regions);
                }
                case SensorRegister.SENSOR_TYPE, SensorRegister.ORGANISATION, SensorRegister.PRIVACY_STATEMENT,
                        SensorRegister.GOAL, SensorRegister.LEGAL_GROUND, SensorRegister.ACTIVE_UNTIL,
                        SensorRegister.REFERENCE -> json.set(key, value);
                default -> problems.add(PREFIX + key + ": is not a register field; the fields are "
                        + "register.sensorType, register.organisation, register.contact.name, register.contact.email, "
                        + "register.contact.url, register.containsPersonalData, register.privacyStatement, "
                        + "register.goal, register.legalGround, register.activeUntil, register.regions, "
                        + "register.reference (or register.exempt alone)");
            }
        });
        JsonObject contactObject = contact.build();
        if (!contactObject.isEmpty()) {
            json.set(SensorRegister.CONTACT, contactObject);
        }
        JsonObject built = json.build();
        for (String problem : SensorRegister.validate(built, "register")) {
            // "register/contact/email: ..." names the key "register.contact.email"
            int colon = problem.indexOf(':');
            problems.add(problem.substring(0, colon).replace('/', '.') + problem.substring(colon));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new RegisterGate(built, built.getValue(SensorRegister.ACTIVE_UNTIL).orElseThrow().asString(), null);
    }

    /** Why the instance's things are exempt from the register, or {@code null}. */
    String exempt() {
        return exempt;
    }

    /**
     * The update to apply: with the instance's register fields when this thing was not stamped yet.
     *
     * @param quarantine whether a thing that is not in the register is refused
     * @param today      the date of today in the hub's time zone, {@code YYYY-MM-DD}
     * @throws Refused with the reason when the sensor is past its {@code activeUntil}, or unregistered under quarantine
     */
    ThingUpdate admit(ThingUpdate update, TwinService twin, boolean quarantine, String today) throws Refused {
        if (exempt != null) {
            return update;
        }
        String until = activeUntil;
        String where = "the configuration of its adapter instance (register.activeUntil)";
        if (stampPatch == null) {
            // registered through the API, or by the update itself: read the register the thing has or gets
            Optional<JsonValue> own = update.patch().getValue(REGISTER).filter(JsonValue::isObject);
            Optional<JsonValue> stored = own.isPresent() ? own
                    : twin.retrieve(update.thingId()).flatMap(Thing::getAttributes)
                            .flatMap(attributes -> attributes.getValue(REGISTER.nextLevel()))
                            .filter(JsonValue::isObject);
            if (stored.isEmpty()) {
                if (quarantine) {
                    throw new Refused("thing " + update.thingId() + " is not in the sensor register, and "
                            + "quarantineUnregistered is on (etc/nl.lantaarn.adapter.runtime.cfg): give its adapter "
                            + "instance register.* fields, or the thing attributes/register through the API");
                }
                return update;
            }
            until = SensorRegister.activeUntil(stored.get().asObject()).orElse(null);
            where = "its attributes/register/activeUntil";
        }
        if (until != null && SensorRegister.expired(until, today)) {
            throw new Refused("sensor " + update.thingId() + " is inactive: it was registered until " + until
                    + " (" + where + "), so its data is no longer accepted; extend activeUntil to take its data again");
        }
        if (stampPatch != null && !stamped.contains(update.thingId().toString())) {
            if (stamped.size() >= MAX_STAMPED) {
                stamped.clear();
            }
            stamped.add(update.thingId().toString());
            return ThingUpdate.merge(update.thingId(),
                    JsonFactory.mergeJsonValues(stampPatch, update.patch()).asObject());
        }
        return update;
    }

    /** Forgets which things were stamped, so that the next update of each writes the fields again. */
    void forgetStamped() {
        stamped.clear();
    }

    /** An update the register does not let through; the message is the dead letter's reason. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Today's date in the hub's time zone as {@code YYYY-MM-DD}, computed once a day. */
    static final class Today {
        private final ZoneId zone;
        private volatile String text;
        private volatile long validUntilMillis;

        Today(ZoneId zone) {
            this.zone = zone;
        }

        String at(long nowMillis) {
            if (nowMillis >= validUntilMillis) {
                ZonedDateTime now = Instant.ofEpochMilli(nowMillis).atZone(zone);
                LocalDate date = now.toLocalDate();
                text = date.toString();
                validUntilMillis = date.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
            }
            return text;
        }
    }
}
