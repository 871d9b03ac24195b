package nl.lantaarn.ditto.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.adapter.DittoProtocolAdapter;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.signals.commands.ThingErrorResponse;
import org.eclipse.ditto.things.model.signals.commands.modify.DeleteAttribute;
import org.eclipse.ditto.things.model.signals.commands.modify.MergeThing;
import org.eclipse.ditto.things.model.signals.commands.modify.ModifyFeatureProperty;
import org.eclipse.ditto.things.model.signals.commands.modify.ModifyFeaturePropertyResponse;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveFeatureProperties;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveFeaturePropertiesResponse;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveFeatureProperty;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThing;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThingResponse;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThings;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThingsResponse;
import org.eclipse.ditto.things.model.signals.events.FeaturePropertiesModified;
import org.eclipse.ditto.things.model.signals.events.FeaturePropertyModified;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;
import org.eclipse.ditto.thingsearch.model.signals.commands.subscription.CreateSubscription;
import org.eclipse.ditto.thingsearch.model.signals.commands.subscription.RequestFromSubscription;
import org.eclipse.ditto.thingsearch.model.signals.events.SubscriptionComplete;
import org.eclipse.ditto.thingsearch.model.signals.events.SubscriptionCreated;
import org.eclipse.ditto.thingsearch.model.signals.events.SubscriptionFailed;
import org.eclipse.ditto.thingsearch.model.signals.events.SubscriptionHasNextPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.twin.api.TwinEvent;
import nl.lantaarn.twin.api.TwinEventListener;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * Roles and access policies on the Ditto protocol: sessions of several clients against the real twin service and the
 * hub's real policies ({@link Partners}), messages made and read with Ditto's own protocol adapter.
 */
class ProtocolSessionPoliciesTest {

    private static final DittoProtocolAdapter ADAPTER = DittoProtocolAdapter.newInstance();

    @TempDir
    Path folder;

    private TwinServiceComponent twin;
    private Enforcement enforcement;
    private final BlockingQueue<TwinEvent> twinEvents = new LinkedBlockingQueue<>();
    private final Map<ProtocolSession, List<String>> sent = new java.util.HashMap<>();
    private final List<String> closes = new CopyOnWriteArrayList<>();
    private volatile List<String> searchResult = List.of();

    @BeforeEach
    void start() throws Exception {
        twin = new TwinServiceComponent(new MemoryTwinStore());
        Partners.seed(twin);
        // the twin's whiteboard binding, as DS does it; events reach the sessions as DittoWebSocketServlet sends them
        Method addListener = TwinServiceComponent.class.getDeclaredMethod("addListener", TwinEventListener.class);
        addListener.setAccessible(true);
        addListener.invoke(twin, (TwinEventListener) twinEvents::add);
        enforcement = new Enforcement(Partners.policies(folder));
    }

    @AfterEach
    void stop() {
        twin.deactivate();
    }

    private ProtocolSession session(ApiClient client) {
        List<String> out = new CopyOnWriteArrayList<>();
        ThingSearch search = new ThingSearch() {
            @Override
            public List<String> thingIds(String rqlFilter, Near near, String zone, int limit) {
                return searchResult;
            }

            @Override
            public List<String> zonesAt(double longitude, double latitude) {
                return List.of();
            }

            @Override
            public Optional<ZoneInfo> zone(String zoneId) {
                return Optional.empty();
            }
        };
        ProtocolSession session = new ProtocolSession(client, enforcement, new TwinCommands(twin, enforcement),
                new SearchSubscriptions(twin, enforcement, () -> search, 4), Partners.authenticator(), 100_000,
                new Outbound() {
                    @Override
                    public void send(String text) {
                        out.add(text);
                    }

                    @Override
                    public void close(int statusCode, String reason) {
                        closes.add(statusCode + " " + reason);
                    }
                });
        sent.put(session, out);
        return session;
    }

    private static DittoHeaders headers(String correlationId) {
        return DittoHeaders.newBuilder().correlationId(correlationId).responseRequired(true).build();
    }

    private Signal<?> call(ProtocolSession session, Signal<?> command) {
        List<String> out = sent.get(session);
        int before = out.size();
        session.onText(ProtocolSession.toJson(ADAPTER.toAdaptable(command)));
        assertThat(out).hasSize(before + 1);
        return parse(out.get(before));
    }

    private static Signal<?> parse(String json) {
        return ADAPTER.fromAdaptable(ProtocolFactory.jsonifiableAdaptableFromJson(JsonFactory.newObject(json)));
    }

    private static DittoRuntimeException error(Signal<?> signal) {
        assertThat(signal).isInstanceOf(ThingErrorResponse.class);
        return ((ThingErrorResponse) signal).getDittoRuntimeException();
    }

    /** Waits for the twin's next event (a guard, not a timing) and hands it to the sessions as the servlet does. */
    private TwinEvent deliverNextEvent(ProtocolSession... sessions) throws InterruptedException {
        TwinEvent event = twinEvents.poll(30, TimeUnit.SECONDS);
        assertThat(event).as("the twin's event").isNotNull();
        Adaptable adaptable = ADAPTER.toAdaptable(event.event());
        String json = ProtocolSession.toJson(adaptable);
        for (ProtocolSession session : sessions) {
            session.onEvent(event, adaptable, json);
        }
        return event;
    }

    private List<ThingEvent<?>> events(ProtocolSession session) {
        List<ThingEvent<?>> events = new ArrayList<>();
        for (String text : sent.get(session)) {
            if (text.startsWith("{")) {
                Signal<?> signal = parse(text);
                if (signal instanceof ThingEvent<?> event) {
                    events.add(event);
                }
            }
        }
        return events;
    }

    @Test
    void aReaderIsRefusedAModifyWithA403AndTheSessionStaysOpen() {
        ProtocolSession police = session(Partners.POLICE);
        DittoRuntimeException refused = error(call(police, ModifyFeatureProperty.of(Partners.NOISE, "noise",
                JsonPointer.of("laeq"), JsonValue.of(10), headers("w-1"))));
        assertThat(refused.getHttpStatus()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(refused.getErrorCode()).isEqualTo("things:feature.property.notmodifiable");
        assertThat(refused.getMessage()).contains("role writer", "'police'", "role reader");
        assertThat(refused.getDescription()).hasValueSatisfying(d -> assertThat(d).contains("--role writer"));
        assertThat(refused.getDittoHeaders().getCorrelationId()).contains("w-1");
        DittoRuntimeException delete = error(call(police, DeleteAttribute.of(Partners.NOISE, JsonPointer.of("name"),
                headers("w-2"))));
        assertThat(delete.getErrorCode()).isEqualTo("things:attribute.notmodifiable");
        assertThat(twin.retrieve(Partners.NOISE).orElseThrow().toJson().getValue(Partners.LAEQ))
                .contains(JsonValue.of(71.5));

        assertThat(closes).isEmpty();
        assertThat(call(police, RetrieveThing.of(Partners.NOISE, headers("r")))).isInstanceOf(
                RetrieveThingResponse.class);
    }

    @Test
    void aClientWithoutARoleRetrievesNothing() {
        ProtocolSession nobody = session(Partners.NOBODY);
        DittoRuntimeException refused = error(call(nobody, RetrieveThing.of(Partners.NOISE, headers("n"))));
        assertThat(refused.getHttpStatus()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(refused.getErrorCode()).isEqualTo(Enforcement.ROLE_INSUFFICIENT);
        assertThat(refused.getMessage()).contains("role reader", "'nobody'", "no role");

        nobody.onText("START-SEND-EVENTS?correlation-id=e-1");
        assertThat(error(parse(sent.get(nobody).get(1))).getErrorCode()).isEqualTo(Enforcement.ROLE_INSUFFICIENT);
        assertThat(nobody.receivesEvents()).isFalse();
    }

    @Test
    void aRevokedPropertyIsAbsentForOnePartnerAndPresentForAnother() {
        ProtocolSession wijkapp = session(Partners.WIJKAPP);
        ProtocolSession police = session(Partners.POLICE);

        JsonObject hidden = ((RetrieveThingResponse) call(wijkapp, RetrieveThing.of(Partners.NOISE, headers("1"))))
                .getEntity().asObject();
        assertThat(hidden.getValue(Partners.LAEQ)).isEmpty();
        assertThat(hidden.getValue(Partners.LAMAX)).contains(JsonValue.of(80.1));
        assertThat(hidden.getValue("attributes/name")).contains(JsonValue.of("Stratumseind 7"));
        JsonObject all = ((RetrieveThingResponse) call(police, RetrieveThing.of(Partners.NOISE, headers("2"))))
                .getEntity().asObject();
        assertThat(all.getValue(Partners.LAEQ)).contains(JsonValue.of(71.5));

        // the part: without the property; the property itself: a 404 exactly like a missing property's
        JsonValue properties = ((RetrieveFeaturePropertiesResponse) call(wijkapp,
                RetrieveFeatureProperties.of(Partners.NOISE, "noise", headers("3")))).getEntity();
        assertThat(properties.asObject().contains("laeq")).isFalse();
        assertThat(properties.asObject().contains("lamax")).isTrue();
        DittoRuntimeException hiddenProperty = error(call(wijkapp, RetrieveFeatureProperty.of(Partners.NOISE,
                "noise", JsonPointer.of("laeq"), headers("4"))));
        DittoRuntimeException missingProperty = error(call(wijkapp, RetrieveFeatureProperty.of(Partners.NOISE,
                "noise", JsonPointer.of("nothing-here"), headers("5"))));
        assertThat(hiddenProperty.getHttpStatus()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(hiddenProperty.getErrorCode()).isEqualTo(missingProperty.getErrorCode())
                .isEqualTo("things:feature.property.notfound");

        // a thing outside its domain: exactly like a thing that does not exist, alone and among others
        DittoRuntimeException hiddenThing = error(call(wijkapp, RetrieveThing.of(Partners.LAMP, headers("6"))));
        assertThat(hiddenThing.getErrorCode()).isEqualTo("things:thing.notfound");
        assertThat(hiddenThing.getHttpStatus()).isEqualTo(HttpStatus.NOT_FOUND);
        RetrieveThingsResponse many = (RetrieveThingsResponse) call(wijkapp,
                RetrieveThings.getBuilder(Partners.NOISE, Partners.LAMP).dittoHeaders(headers("7")).build());
        assertThat(many.getThings()).singleElement().satisfies(thing -> {
            assertThat(thing.getEntityId()).contains(Partners.NOISE);
            assertThat(thing.toJson().getValue(Partners.LAEQ)).isEmpty();
        });
        assertThat(((RetrieveThingsResponse) call(police, RetrieveThings.getBuilder(Partners.NOISE, Partners.LAMP)
                .dittoHeaders(headers("8")).build())).getThings()).hasSize(2);
    }

    @Test
    void writesNeedWriteOnEveryWrittenPathAndEveryLeafOfAMerge() {
        ProtocolSession maintainer = session(Partners.MAINTAINER);
        DittoRuntimeException refused = error(call(maintainer, ModifyFeatureProperty.of(Partners.NOISE, "noise",
                JsonPointer.of("laeq"), JsonValue.of(10), headers("m-1"))));
        assertThat(refused.getHttpStatus()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(refused.getErrorCode()).isEqualTo("things:feature.property.notmodifiable");
        assertThat(refused.getMessage()).contains("'maintainer'", "thing:/features/noise/properties/laeq");
        assertThat(refused.getDescription()).hasValueSatisfying(d -> assertThat(d).contains("policies/"));

        // a merge that touches the revoked leaf is refused as a whole; one that does not is done
        DittoRuntimeException merge = error(call(maintainer, MergeThing.withFeatureProperties(Partners.NOISE,
                "noise", org.eclipse.ditto.things.model.ThingsModelFactory.newFeatureProperties(
                        "{\"laeq\":1,\"lamax\":2}"), headers("m-2"))));
        assertThat(merge.getHttpStatus()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(merge.getMessage()).contains("thing:/features/noise/properties/laeq");
        Thing now = twin.retrieve(Partners.NOISE).orElseThrow();
        assertThat(now.toJson().getValue(Partners.LAMAX)).contains(JsonValue.of(80.1));

        Signal<?> done = call(maintainer, ModifyFeatureProperty.of(Partners.NOISE, "noise", JsonPointer.of("lamax"),
                JsonValue.of(90), headers("m-3")));
        assertThat(done).isInstanceOf(ModifyFeaturePropertyResponse.class);
        assertThat(twin.retrieve(Partners.NOISE).orElseThrow().toJson().getValue(Partners.LAMAX))
                .contains(JsonValue.of(90));
        assertThat(twin.retrieve(Partners.NOISE).orElseThrow().toJson().getValue(Partners.LAEQ))
                .contains(JsonValue.of(71.5));
    }

    @Test
    void eventsOfAHiddenPropertyAreNotSentAndAnEventHoldingItIsCut() throws Exception {
        ProtocolSession wijkapp = session(Partners.WIJKAPP);
        ProtocolSession police = session(Partners.POLICE);
        ProtocolSession maintainer = session(Partners.MAINTAINER);
        wijkapp.onText("START-SEND-EVENTS");
        police.onText("START-SEND-EVENTS");
        twinEvents.clear();

        // the laeq write: the police hears the value, the neighbourhood app hears nothing
        twin.modify(Partners.NOISE, Partners.LAEQ, JsonValue.of(75.25),
                nl.lantaarn.twin.api.WriteCondition.any());
        deliverNextEvent(wijkapp, police);
        assertThat(events(wijkapp)).isEmpty();
        assertThat(events(police)).singleElement().isInstanceOfSatisfying(FeaturePropertyModified.class,
                event -> assertThat(event.getPropertyValue()).isEqualTo(JsonValue.of(75.25)));
        assertThat(sent.get(wijkapp)).noneMatch(text -> text.contains("75.25"));

        // a change of both properties at once: the app gets it without laeq
        call(maintainer, ModifyFeatureProperty.of(Partners.NOISE, "noise", JsonPointer.of("lamax"),
                JsonValue.of(88.5), headers("x")));
        deliverNextEvent(wijkapp, police);
        twin.modify(Partners.NOISE, JsonPointer.of("/features/noise/properties"),
                JsonObject.of("{\"laeq\":66.75,\"lamax\":77.5}"), nl.lantaarn.twin.api.WriteCondition.any());
        deliverNextEvent(wijkapp, police);
        List<ThingEvent<?>> seen = events(wijkapp);
        assertThat(seen).hasSize(2);
        assertThat(((FeaturePropertyModified) seen.get(0)).getPropertyValue()).isEqualTo(JsonValue.of(88.5));
        assertThat(seen.get(1)).isInstanceOfSatisfying(FeaturePropertiesModified.class, event -> {
            assertThat(event.getProperties().getValue("lamax")).contains(JsonValue.of(77.5));
            assertThat(event.getProperties().contains("laeq")).isFalse();
        });
        assertThat(sent.get(wijkapp)).noneMatch(text -> text.contains("66.75"));
        assertThat(((FeaturePropertiesModified) events(police).get(2)).getProperties().getValue("laeq"))
                .contains(JsonValue.of(66.75));
        assertThat(closes).isEmpty();
    }

    @Test
    void anEventFilterOnAHiddenPropertyNeverMatchesAndExtraFieldsAreCut() throws Exception {
        ProtocolSession wijkapp = session(Partners.WIJKAPP);
        ProtocolSession police = session(Partners.POLICE);
        String filter = "START-SEND-EVENTS?filter=gt(features%2Fnoise%2Fproperties%2Flaeq%2C0)";
        wijkapp.onText(filter);
        police.onText(filter);
        twinEvents.clear();
        twin.modify(Partners.NOISE, Partners.LAMAX, JsonValue.of(95), nl.lantaarn.twin.api.WriteCondition.any());
        deliverNextEvent(wijkapp, police);
        assertThat(events(wijkapp)).isEmpty();
        assertThat(events(police)).hasSize(1);

        wijkapp.onText("START-SEND-EVENTS?extraFields=features%2Fnoise%2Fproperties");
        twin.modify(Partners.NOISE, Partners.LAMAX, JsonValue.of(96), nl.lantaarn.twin.api.WriteCondition.any());
        deliverNextEvent(wijkapp, police);
        String event = sent.get(wijkapp).get(sent.get(wijkapp).size() - 1);
        JsonObject extra = JsonObject.of(event).getValue("extra").orElseThrow().asObject();
        assertThat(extra.getValue("features/noise/properties/lamax")).contains(JsonValue.of(96));
        assertThat(extra.getValue("features/noise/properties/laeq")).isEmpty();
    }

    @Test
    void aSearchOnAHiddenPropertyFindsNothingAndResultsAreCut() {
        searchResult = List.of(Partners.LAMP.toString(), Partners.NOISE.toString());
        ProtocolSession wijkapp = session(Partners.WIJKAPP);
        ProtocolSession police = session(Partners.POLICE);

        assertThat(search(wijkapp, "gt(features/noise/properties/laeq,50)")).isEmpty();
        assertThat(search(police, "gt(features/noise/properties/laeq,50)")).hasSize(2);

        // on a readable property: only the thing it may see, without the hidden property
        List<JsonValue> found = search(wijkapp, "gt(features/noise/properties/lamax,50)");
        assertThat(found).singleElement().satisfies(thing -> {
            assertThat(thing.asObject().getValue("thingId")).contains(JsonValue.of(Partners.NOISE.toString()));
            assertThat(thing.asObject().getValue(Partners.LAEQ)).isEmpty();
            assertThat(thing.asObject().getValue(Partners.LAMAX)).contains(JsonValue.of(80.1));
        });

        ProtocolSession nobody = session(Partners.NOBODY);
        String id = ((SubscriptionCreated) call(nobody, CreateSubscription.of(null, null, null, null,
                headers("s")))).getSubscriptionId();
        Signal<?> failed = call(nobody, RequestFromSubscription.of(id, 1, DittoHeaders.empty()));
        assertThat(((SubscriptionFailed) failed).getError().getErrorCode()).isEqualTo(Enforcement.ROLE_INSUFFICIENT);
    }

    /** Every item of a search subscription, read to its completion. */
    private List<JsonValue> search(ProtocolSession session, String filter) {
        String id = ((SubscriptionCreated) call(session, CreateSubscription.of(filter, "size(1)", null, null,
                headers("s")))).getSubscriptionId();
        List<String> out = sent.get(session);
        int before = out.size();
        session.onText(ProtocolSession.toJson(ADAPTER.toAdaptable(RequestFromSubscription.of(id, 10,
                DittoHeaders.empty()))));
        List<JsonValue> items = new ArrayList<>();
        List<String> answers = out.subList(before, out.size());
        assertThat(parse(answers.get(answers.size() - 1))).isInstanceOf(SubscriptionComplete.class);
        for (String answer : answers.subList(0, answers.size() - 1)) {
            ((SubscriptionHasNextPage) parse(answer)).getItems().forEach(items::add);
        }
        return items;
    }

    @Test
    void aRefreshedTokenOfAnotherClientChangesWhatTheConnectionMayDo() {
        ProtocolSession session = session(Partners.WIJKAPP);
        assertThat(error(call(session, ModifyFeatureProperty.of(Partners.NOISE, "noise", JsonPointer.of("lamax"),
                JsonValue.of(1), headers("a")))).getHttpStatus()).isEqualTo(HttpStatus.FORBIDDEN);
        session.onText("JWT-TOKEN?jwtToken=maintainer-key");
        assertThat(closes).isEmpty();
        assertThat(call(session, ModifyFeatureProperty.of(Partners.NOISE, "noise", JsonPointer.of("lamax"),
                JsonValue.of(1), headers("b")))).isInstanceOf(ModifyFeaturePropertyResponse.class);
        JsonObject seen = ((RetrieveThingResponse) call(session, RetrieveThing.of(Partners.NOISE, headers("c"))))
                .getEntity().asObject();
        assertThat(seen.getValue(Partners.LAEQ)).isPresent();
    }
}
