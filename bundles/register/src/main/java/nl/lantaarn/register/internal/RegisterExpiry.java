package nl.lantaarn.register.internal;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.things.model.SensorRegister;
import nl.lantaarn.twin.api.TwinException;
import nl.lantaarn.twin.api.TwinJsonSource;
import nl.lantaarn.twin.api.WriteCondition;
import nl.lantaarn.twin.api.TwinService;

/**
 * Marks sensors past their {@code activeUntil} inactive on their thing ({@code attributes/register/active = false}
 * and {@code deactivatedAt}), and active again when {@code activeUntil} was extended. The data of such a sensor is
 * refused by the adapter runtime from the first moment after {@code activeUntil}; this makes it visible on the thing
 * and in its events.
 */
@Component(immediate = true, configurationPid = RegisterServlet.PID)
public final class RegisterExpiry {

    private static final Logger LOG = LoggerFactory.getLogger(RegisterExpiry.class);
    private static final JsonPointer REGISTER = JsonPointer.of("attributes/" + SensorRegister.ATTRIBUTE);

    private final TwinService twin;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> task;

    @Activate
    public RegisterExpiry(@Reference TwinService twin, RegisterServlet.Config config) {
        this(twin, Clock.systemDefaultZone());
        modified(config);
    }

    RegisterExpiry(TwinService twin, Clock clock) {
        this.twin = twin;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "register-expiry");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Modified
    synchronized void modified(RegisterServlet.Config config) {
        if (task != null) {
            task.cancel(false);
        }
        long seconds = Math.max(10, config.checkIntervalSeconds());
        task = timer.scheduleWithFixedDelay(this::sweepQuietly, 0, seconds, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("Checking the sensor register for expired sensors failed; tried again at the next interval", e);
        }
    }

    /** A change of one sensor's register found by a sweep, made after the walk over all things. */
    private record Mark(ThingId thingId, JsonObject patch, boolean expired, String until) {
    }

    /**
     * One check of every registered thing.
     *
     * @return how many things changed state
     */
    int sweep() {
        String today = LocalDate.now(clock).toString();
        List<Mark> marks = new ArrayList<>();
        if (twin instanceof TwinJsonSource stored) {
            // from the stored JSON: only a thing whose JSON names the register attribute is parsed, so that a sweep
            // over a million things, most of them never registered, costs a text search each instead of a parse (the
            // first sweep runs at start, beside the search index being built)
            String name = "\"" + SensorRegister.ATTRIBUTE + "\"";
            stored.forEachJson((id, json) -> {
                if (json.contains(name)) {
                    Thing thing = parse(id, json);
                    Mark mark = thing == null ? null : check(ThingId.of(id), thing, today);
                    if (mark != null) {
                        marks.add(mark);
                    }
                }
            });
        } else {
            for (Thing thing : twin.list()) {
                Mark mark = thing.getEntityId().map(id -> check(id, thing, today)).orElse(null);
                if (mark != null) {
                    marks.add(mark);
                }
            }
        }
        int changed = 0;
        for (Mark mark : marks) {
            try {
                twin.merge(mark.thingId(), REGISTER, mark.patch(), WriteCondition.ifMatchAny());
                changed++;
                LOG.info("Sensor {} is {} (activeUntil {})", mark.thingId(),
                        mark.expired() ? "past its activeUntil: deactivated, its data is no longer accepted"
                                : "active again", mark.until());
            } catch (TwinException | IllegalArgumentException e) {
                // deleted meanwhile, or a register the twin refuses now: named, and tried again next time
                LOG.warn("Cannot mark sensor {} {}: {}", mark.thingId(), mark.expired() ? "inactive" : "active",
                        e.getMessage());
            }
        }
        return changed;
    }

    /** The stored thing; {@code null} when its JSON cannot be read (the twin's health names such things). */
    private static Thing parse(String thingId, String json) {
        try {
            return ThingsModelFactory.newThing(JsonFactory.readFrom(json).asObject());
        } catch (RuntimeException e) {
            LOG.debug("Sensor register check skips {}: its stored JSON cannot be read", thingId, e);
            return null;
        }
    }

    /** The change the thing's register needs today; {@code null} when none. */
    private Mark check(ThingId thingId, Thing thing, String today) {
        JsonObject register = thing.getAttributes().flatMap(a -> a.getValue(REGISTER.nextLevel()))
                .filter(JsonValue::isObject).map(JsonValue::asObject).orElse(null);
        if (register == null) {
            return null;
        }
        String until = SensorRegister.activeUntil(register).orElse(null);
        if (until == null || SensorRegister.parseDate(until).isEmpty()) {
            return null;
        }
        boolean expired = SensorRegister.expired(until, today);
        boolean shownActive = register.getValue(SensorRegister.ACTIVE).filter(JsonValue::isBoolean)
                .map(JsonValue::asBoolean).orElse(true);
        JsonObject patch = null;
        if (expired && shownActive) {
            patch = JsonObject.newBuilder().set(SensorRegister.ACTIVE, false)
                    .set(SensorRegister.DEACTIVATED_AT, clock.instant().toString()).build();
        } else if (!expired && register.getValue(SensorRegister.ACTIVE).isPresent()) {
            if (!shownActive || register.contains(SensorRegister.DEACTIVATED_AT)) {
                patch = JsonObject.newBuilder().set(SensorRegister.ACTIVE, true)
                        .set(SensorRegister.DEACTIVATED_AT, JsonValue.nullLiteral()).build();
            }
        }
        return patch == null ? null : new Mark(thingId, patch, expired, until);
    }
}
