package nl.lantaarn.ditto.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.base.model.signals.commands.CommandResponse;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.adapter.DittoProtocolAdapter;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.commands.ThingErrorResponse;
import org.eclipse.ditto.things.model.signals.commands.modify.CreateThing;
import org.eclipse.ditto.things.model.signals.commands.modify.CreateThingResponse;
import org.eclipse.ditto.things.model.signals.commands.modify.DeleteAttribute;
import org.eclipse.ditto.things.model.signals.commands.modify.DeleteFeatureProperty;
import org.eclipse.ditto.things.model.signals.commands.modify.DeleteThing;
import org.eclipse.ditto.things.model.signals.commands.modify.MergeThing;
import org.eclipse.ditto.things.model.signals.commands.modify.ModifyAttribute;
import org.eclipse.ditto.things.model.signals.commands.modify.ModifyAttributes;
import org.eclipse.ditto.things.model.signals.commands.modify.ModifyFeature;
import org.eclipse.ditto.things.model.signals.commands.modify.ModifyFeatureDesiredProperty;
import org.eclipse.ditto.things.model.signals.commands.modify.ModifyFeatureProperties;
import org.eclipse.ditto.things.model.signals.commands.modify.ModifyFeatureProperty;
import org.eclipse.ditto.things.model.signals.commands.modify.ModifyFeaturePropertyResponse;
import org.eclipse.ditto.things.model.signals.commands.modify.ModifyThing;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveAttribute;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveAttributes;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveFeature;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveFeatureProperty;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveFeatures;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThing;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThingResponse;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThings;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThingsResponse;
import org.eclipse.ditto.things.model.signals.events.FeaturePropertyModified;
import org.eclipse.ditto.thingsearch.model.signals.commands.subscription.CreateSubscription;
import org.eclipse.ditto.thingsearch.model.signals.commands.subscription.RequestFromSubscription;
import org.eclipse.ditto.thingsearch.model.signals.events.SubscriptionComplete;
import org.eclipse.ditto.thingsearch.model.signals.events.SubscriptionCreated;
import org.eclipse.ditto.thingsearch.model.signals.events.SubscriptionFailed;
import org.eclipse.ditto.thingsearch.model.signals.events.SubscriptionHasNextPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import nl.lantaarn.search.api.SearchQueryException;
import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.http.internal.ThingPolicies;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;
import nl.lantaarn.things.model.Wildcards;
import nl.lantaarn.twin.api.TwinEvent;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * The protocol of one session against the real twin service (on its in-memory store): messages are made and read
 * with Ditto's own protocol adapter, as the Ditto client makes and reads them.
 */
class ProtocolSessionTest {

    private static final DittoProtocolAdapter ADAPTER = DittoProtocolAdapter.newInstance();
    private static final ThingId LAMP = ThingId.of("nl.test.lighting:lamp-1");
    private static final String KEY = "a-valid-key";
    private static final ApiClient TESTER = new ApiClient("tester", Set.of(Role.WRITER), "protocol tests");

    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final List<String> closes = new CopyOnWriteArrayList<>();
    private TwinServiceComponent twin;
    private ProtocolSession session;
    private volatile List<String> searchResult = List.of();

    @BeforeEach
    void open() {
        twin = new TwinServiceComponent(new MemoryTwinStore());
        ThingSearch search = new ThingSearch() {
            @Override
            public List<String> thingIds(String rqlFilter, Near near, String zone, int limit) {
                if ("bad(".equals(rqlFilter)) {
                    throw new SearchQueryException("The filter is not valid RQL at position 5");
                }
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
        // the built-in default policy (no policy files): readers read, writers write
        Enforcement enforcement = new Enforcement(ThingPolicies.fromFolder(Path.of("target/no-policies-here")));
        session = new ProtocolSession(TESTER, enforcement, new TwinCommands(twin, enforcement),
                new SearchSubscriptions(twin, enforcement, () -> search, 2),
                (authorization, apiKey) -> ("Bearer " + KEY).equals(authorization)
                        ? Optional.of(TESTER) : Optional.empty(),
                10_000, new Outbound() {
                    @Override
                    public void send(String text) {
                        sent.add(text);
                    }

                    @Override
                    public void close(int statusCode, String reason) {
                        closes.add(statusCode + " " + reason);
                    }
                });
    }

    @AfterEach
    void close() {
        twin.deactivate();
    }

    private static DittoHeaders headers(String correlationId) {
        return DittoHeaders.newBuilder().correlationId(correlationId).responseRequired(true).build();
    }

    private Signal<?> call(Signal<?> command) {
        int before = sent.size();
        session.onText(ProtocolSession.toJson(ADAPTER.toAdaptable(command)));
        assertThat(sent).hasSize(before + 1);
        return parse(sent.get(before));
    }

    private static Signal<?> parse(String json) {
        return ADAPTER.fromAdaptable(ProtocolFactory.jsonifiableAdaptableFromJson(JsonFactory.newObject(json)));
    }

    private static DittoRuntimeException error(Signal<?> signal) {
        assertThat(signal).isInstanceOf(ThingErrorResponse.class);
        return ((ThingErrorResponse) signal).getDittoRuntimeException();
    }

    private Thing lamp() {
        return ThingsModelFactory.newThingBuilder().setId(LAMP)
                .setAttribute(JsonPointer.of("zone"), JsonValue.of("stratumseind"))
                .setFeatureProperty("lamp", JsonPointer.of("dim"), JsonValue.of(40))
                .build();
    }

    @Test
    void createModifyRetrieveThroughDittoProtocol() {
        Signal<?> created = call(CreateThing.of(lamp(), null, headers("c-1")));
        assertThat(created).isInstanceOf(CreateThingResponse.class);
        assertThat(((CommandResponse<?>) created).getHttpStatus()).isEqualTo(HttpStatus.CREATED);
        assertThat(created.getDittoHeaders().getCorrelationId()).contains("c-1");

        Signal<?> modified = call(ModifyFeatureProperty.of(LAMP, "lamp", JsonPointer.of("dim"), JsonValue.of(80),
                headers("c-2")));
        assertThat(modified).isInstanceOf(ModifyFeaturePropertyResponse.class);
        assertThat(((CommandResponse<?>) modified).getHttpStatus()).isEqualTo(HttpStatus.NO_CONTENT);

        Signal<?> added = call(ModifyFeatureProperty.of(LAMP, "lamp", JsonPointer.of("scene"), JsonValue.of("calm"),
                headers("c-3")));
        assertThat(((CommandResponse<?>) added).getHttpStatus()).isEqualTo(HttpStatus.CREATED);

        Signal<?> retrieved = call(RetrieveThing.of(LAMP, headers("c-4")));
        assertThat(retrieved).isInstanceOf(RetrieveThingResponse.class);
        Thing thing = ((RetrieveThingResponse) retrieved).getThing();
        assertThat(thing.getFeatures().flatMap(f -> f.getFeature("lamp")).flatMap(f -> f.getProperty("dim")))
                .contains(JsonValue.of(80));
        assertThat(twin.retrieve(LAMP).flatMap(t -> t.getFeatures()).flatMap(f -> f.getFeature("lamp"))
                .flatMap(f -> f.getProperty("scene"))).contains(JsonValue.of("calm"));
    }

    @Test
    void everyThingCommandIsAnsweredWithItsTypedResponse() {
        call(CreateThing.of(lamp(), null, headers("setup")));
        ThingId other = ThingId.of("nl.test.lighting:lamp-2");
        List<Signal<?>> commands = new ArrayList<>(List.of(
                ModifyThing.of(other, ThingsModelFactory.newThingBuilder().setId(other).build(), null, headers("1")),
                ModifyAttributes.of(LAMP, ThingsModelFactory.newAttributes("{\"zone\":\"markt\",\"a\":1}"),
                        headers("2")),
                ModifyAttribute.of(LAMP, JsonPointer.of("vendor"), JsonValue.of("acme"), headers("3")),
                RetrieveAttribute.of(LAMP, JsonPointer.of("vendor"), headers("4")),
                RetrieveAttributes.of(LAMP, headers("5")),
                DeleteAttribute.of(LAMP, JsonPointer.of("a"), headers("6")),
                ModifyFeature.of(LAMP, ThingsModelFactory.newFeature("noise"), headers("7")),
                RetrieveFeatures.of(LAMP, headers("8")),
                RetrieveFeature.of(LAMP, "noise", headers("9")),
                ModifyFeatureProperties.of(LAMP, "noise", ThingsModelFactory.newFeatureProperties("{\"laeq\":60}"),
                        headers("10")),
                RetrieveFeatureProperty.of(LAMP, "noise", JsonPointer.of("laeq"), headers("11")),
                ModifyFeatureDesiredProperty.of(LAMP, "lamp", JsonPointer.of("dim"), JsonValue.of(10),
                        headers("12")),
                DeleteFeatureProperty.of(LAMP, "noise", JsonPointer.of("laeq"), headers("13")),
                MergeThing.withAttribute(LAMP, JsonPointer.of("model"), JsonValue.of("x1"), headers("14")),
                RetrieveThings.getBuilder(LAMP, other).dittoHeaders(headers("15")).build(),
                DeleteThing.of(other, headers("16"))));
        for (Signal<?> command : commands) {
            Signal<?> answer = call(command);
            assertThat(answer).as(command.getType()).isInstanceOf(CommandResponse.class)
                    .isNotInstanceOf(ThingErrorResponse.class);
            assertThat(answer.getDittoHeaders().getCorrelationId()).as(command.getType())
                    .isEqualTo(command.getDittoHeaders().getCorrelationId());
            if (answer instanceof RetrieveThingsResponse many) {
                assertThat(many.getThings()).hasSize(2);
            }
        }
        assertThat(twin.retrieve(LAMP).flatMap(Thing::getAttributes).flatMap(a -> a.getValue("model")))
                .contains(JsonValue.of("x1"));
        assertThat(twin.retrieve(other)).isEmpty();
    }

    @Test
    void missingThingsAndPartsAreDittoErrorsNamingThem() {
        DittoRuntimeException noThing = error(call(RetrieveThing.of(LAMP, headers("x"))));
        assertThat(noThing.getErrorCode()).isEqualTo("things:thing.notfound");
        assertThat(noThing.getMessage()).contains(LAMP.toString());

        call(CreateThing.of(lamp(), null, headers("setup")));
        DittoRuntimeException noAttribute = error(call(RetrieveAttribute.of(LAMP, JsonPointer.of("nope"),
                headers("y"))));
        assertThat(noAttribute.getErrorCode()).isEqualTo("things:attribute.notfound");
        assertThat(noAttribute.getMessage()).contains("nope");
        assertThat(noAttribute.getDittoHeaders().getCorrelationId()).contains("y");

        DittoRuntimeException exists = error(call(CreateThing.of(lamp(), null, headers("z"))));
        assertThat(exists.getHttpStatus()).isEqualTo(HttpStatus.CONFLICT);
    }

    @Test
    void aThingThatBreaksTheModelConventionsIsRefusedNamingTheField() {
        Thing bad = ThingsModelFactory.newThingBuilder().setId(LAMP)
                .setAttribute(JsonPointer.of("location"), JsonValue.of("somewhere")).build();
        DittoRuntimeException refused = error(call(CreateThing.of(bad, null, headers("m"))));
        assertThat(refused.getHttpStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(refused.getMessage()).contains("location");
        assertThat(twin.retrieve(LAMP)).isEmpty();
    }

    @Test
    void malformedMessagesAreAnsweredWithAnErrorAndTheConnectionStaysOpen() {
        session.onText("{\"topic\": ");
        assertThat(error(parse(sent.get(0))).getMessage()).contains("not a Ditto protocol envelope");

        session.onText("{\"topic\":\"nl.test.lighting/lamp-1/things/twin/commands/frobnicate\",\"headers\":"
                + "{\"correlation-id\":\"u-1\"},\"path\":\"/\"}");
        DittoRuntimeException unknown = error(parse(sent.get(1)));
        assertThat(unknown.getMessage()).containsIgnoringCase("frobnicate");

        session.onText("{\"topic\":\"nl.test.lighting/lamp 1/things/twin/commands/retrieve\",\"headers\":"
                + "{\"correlation-id\":\"u-2\"},\"path\":\"/\"}");
        DittoRuntimeException badId = error(parse(sent.get(2)));
        assertThat(badId.getMessage()).contains("lamp 1");
        assertThat(badId.getDittoHeaders().getCorrelationId()).contains("u-2");

        session.onText("PLEASE-SEND-EVERYTHING");
        assertThat(error(parse(sent.get(3))).getMessage()).contains("PLEASE-SEND-EVERYTHING", "START-SEND-EVENTS");

        session.onText("{\"topic\":\"nl.test.lighting/lamp-1/things/live/commands/retrieve\",\"headers\":"
                + "{\"correlation-id\":\"u-3\"},\"path\":\"/\"}");
        assertThat(error(parse(sent.get(4))).getMessage()).contains("live");

        assertThat(closes).isEmpty();
        assertThat(call(CreateThing.of(lamp(), null, headers("after")))).isInstanceOf(CreateThingResponse.class);
    }

    @Test
    void oversizedAndDeeplyNestedMessagesAreRefusedBeforeParsing() {
        session.onText("{\"x\":\"" + "a".repeat(10_001) + "\"}");
        DittoRuntimeException tooLarge = error(parse(sent.get(0)));
        assertThat(tooLarge.getHttpStatus()).isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
        assertThat(tooLarge.getMessage()).contains("10000");

        session.onText("{\"a\":" + "[".repeat(2_000) + "]".repeat(2_000) + "}");
        assertThat(error(parse(sent.get(1))).getMessage()).contains("deeper than 64");
        assertThat(closes).isEmpty();
    }

    @Test
    void eventsAfterStartSendEventsPassTheFilterAndNamespaces() {
        Thing inZone = lamp();
        Thing elsewhere = ThingsModelFactory.newThingBuilder().setId(ThingId.of("nl.test.lighting:lamp-9"))
                .setAttribute(JsonPointer.of("zone"), JsonValue.of("markt")).build();
        Thing otherNamespace = ThingsModelFactory.newThingBuilder().setId(ThingId.of("nl.other.lighting:lamp-1"))
                .setAttribute(JsonPointer.of("zone"), JsonValue.of("stratumseind")).build();
        session.onEvent(event(inZone), null, "before-start");
        assertThat(sent).isEmpty();

        session.onText("START-SEND-EVENTS?filter=eq(attributes%2Fzone%2C%22stratumseind%22)"
                + "&namespaces=nl.test.lighting&correlation-id=s-1");
        assertThat(sent).containsExactly("START-SEND-EVENTS:ACK");
        for (Thing thing : List.of(inZone, elsewhere, otherNamespace)) {
            session.onEvent(event(thing), ADAPTER.toAdaptable(event(thing).event()),
                    "event of " + thing.getEntityId().orElseThrow());
        }
        assertThat(sent).containsExactly("START-SEND-EVENTS:ACK", "event of " + LAMP);

        session.onText("STOP-SEND-EVENTS");
        session.onEvent(event(inZone), null, "after-stop");
        assertThat(sent).containsExactly("START-SEND-EVENTS:ACK", "event of " + LAMP, "STOP-SEND-EVENTS:ACK");
    }

    @Test
    void aBadEventFilterIsAnErrorWithTheCorrelationIdOfTheRequest() {
        session.onText("START-SEND-EVENTS?filter=eq(attributes%2Fzone&correlation-id=s-2");
        DittoRuntimeException bad = error(parse(sent.get(0)));
        assertThat(bad.getErrorCode()).isEqualTo("rql.expression.invalid");
        assertThat(bad.getMessage()).contains("eq(attributes/zone");
        assertThat(bad.getDittoHeaders().getCorrelationId()).contains("s-2");
        assertThat(session.receivesEvents()).isFalse();

        session.onText("START-SEND-MESSAGES?correlation-id=s-3");
        DittoRuntimeException messages = error(parse(sent.get(1)));
        assertThat(messages.getMessage()).contains("no live channel");
        assertThat(messages.getDittoHeaders().getCorrelationId()).contains("s-3");
    }

    @Test
    void searchSubscriptionPagesThroughTheMatchesAndCompletes() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ThingId id = ThingId.of("nl.test.lighting:lamp-" + i);
            twin.modify(id, JsonPointer.empty(), ThingsModelFactory.newThingBuilder().setId(id).build().toJson(),
                    nl.lantaarn.twin.api.WriteCondition.any());
            ids.add(id.toString());
        }
        ids.add("nl.test.lighting:deleted-in-between");
        searchResult = ids;
        Signal<?> created = call(CreateSubscription.of("exists(thingId)", "size(2),sort(+thingId)", null, null,
                headers("q-1")));
        assertThat(created).isInstanceOf(SubscriptionCreated.class);
        assertThat(created.getDittoHeaders().getCorrelationId()).contains("q-1");
        String id = ((SubscriptionCreated) created).getSubscriptionId();

        int before = sent.size();
        session.onText(ProtocolSession.toJson(ADAPTER.toAdaptable(RequestFromSubscription.of(id, 2,
                DittoHeaders.empty()))));
        assertThat(sent).hasSize(before + 2);
        assertThat(((SubscriptionHasNextPage) parse(sent.get(before))).getItems()).hasSize(2);
        session.onText(ProtocolSession.toJson(ADAPTER.toAdaptable(RequestFromSubscription.of(id, 10,
                DittoHeaders.empty()))));
        // the last page has lamp-4 only (the deleted thing is left out), then complete
        assertThat(((SubscriptionHasNextPage) parse(sent.get(before + 2))).getItems()).hasSize(1);
        assertThat(parse(sent.get(before + 3))).isInstanceOf(SubscriptionComplete.class);
        assertThat(sent).hasSize(before + 4);
    }

    @Test
    void aSearchThatCannotRunFailsNamingTheProblem() {
        for (String[] query : new String[][] { { "bad(", "", "position 5" }, { null, "sort(-attributes/x)",
                "sort(-attributes/x)" }, { null, "size(1000)", "size(1000)" } }) {
            Signal<?> created = call(CreateSubscription.of(query[0], query[1], null, null, headers("f")));
            String id = ((SubscriptionCreated) created).getSubscriptionId();
            Signal<?> failed = call(RequestFromSubscription.of(id, 1, DittoHeaders.empty()));
            assertThat(failed).isInstanceOf(SubscriptionFailed.class);
            assertThat(((SubscriptionFailed) failed).getError().getMessage()).contains(query[2]);
        }
        Signal<?> unknown = call(RequestFromSubscription.of("no-such-subscription", 1, DittoHeaders.empty()));
        assertThat(((SubscriptionFailed) unknown).getError().getMessage()).contains("no-such-subscription");
    }

    @Test
    void aRefreshedTokenThatIsNoKeyClosesTheConnectionWithAReason() {
        session.onText("JWT-TOKEN?jwtToken=" + KEY);
        assertThat(closes).isEmpty();
        session.onText("JWT-TOKEN?jwtToken=wrong");
        assertThat(closes).singleElement().asString().startsWith("1008 ").contains("not an API key");
    }

    private static TwinEvent event(Thing thing) {
        ThingId id = thing.getEntityId().orElseThrow();
        return new TwinEvent(FeaturePropertyModified.of(id, "lamp", JsonPointer.of("dim"), JsonValue.of(1), 2L,
                Instant.now(), DittoHeaders.empty(), null), thing);
    }
    // ---- regressions found by DittoFuzzTest ----

    /** A '%zz' in a protocol message's parameters threw out of the handler (Jetty then closed the WebSocket). */
    @Test
    void undecodableProtocolMessageParametersAreAnError() {
        session.onText("START-SEND-EVENTS?filter=eq(attributes%2Fzone,%zz)");
        DittoRuntimeException bad = error(parse(sent.get(0)));
        assertThat(bad.getHttpStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(bad.getMessage()).contains("cannot be decoded");
        assertThat(session.receivesEvents()).isFalse();
        session.onText("STOP-SEND-EVENTS");
        assertThat(sent.get(1)).isEqualTo("STOP-SEND-EVENTS:ACK");
    }

    /** An unknown protocol message is the client's error (400), not a feature the hub lacks (501). */
    @Test
    void anUnknownProtocolMessageIsA400() {
        session.onText("FROBNICATE?correlation-id=f-1");
        DittoRuntimeException unknown = error(parse(sent.get(0)));
        assertThat(unknown.getHttpStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(unknown.getErrorCode()).isEqualTo(HubRefusalException.PROTOCOL_INVALID);
        assertThat(unknown.getDittoHeaders().getCorrelationId()).contains("f-1");
    }

    /** "requested-acks": "" made Ditto's header parsing throw IllegalArgumentException out of the handler. */
    @Test
    void anEmptyRequestedAcksHeaderIsAnError() {
        session.onText("{\"topic\":\"nl.test.lighting/lamp-1/things/twin/commands/retrieve\",\"headers\":"
                + "{\"correlation-id\":\"r-1\",\"requested-acks\":\"\"},\"path\":\"/\"}");
        DittoRuntimeException bad = error(parse(sent.get(0)));
        assertThat(bad.getHttpStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(bad.getMessage()).contains("not a Ditto protocol envelope");
    }

    /** Ditto's registry has no not-found error for DeleteFeatureDefinition: the lookup threw. */
    @Test
    void deletingAMissingDefinitionIsItsNotFound() {
        call(CreateThing.of(lamp(), null, headers("d-0")));
        DittoRuntimeException feature = error(call(
                org.eclipse.ditto.things.model.signals.commands.modify.DeleteFeatureDefinition.of(LAMP, "lamp",
                        headers("d-1"))));
        assertThat(feature.getHttpStatus()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(feature.getErrorCode()).isEqualTo("things:feature.definition.notfound");
        DittoRuntimeException thing = error(call(
                org.eclipse.ditto.things.model.signals.commands.modify.DeleteThingDefinition.of(LAMP, headers("d-2"))));
        assertThat(thing.getHttpStatus()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    /** in(thingId,1) compared a string with a number: null, unboxed: a NullPointerException on the event thread. */
    @Test
    void anEventFilterComparingValuesOfAnotherKindDoesNotMatch() {
        session.onText("START-SEND-EVENTS?filter=or(in(thingId,1),in(attributes%2Fzone,2,%22stratumseind%22))");
        assertThat(sent).containsExactly("START-SEND-EVENTS:ACK");
        session.onEvent(event(lamp()), ADAPTER.toAdaptable(event(lamp()).event()), "event of the lamp");
        assertThat(sent).containsExactly("START-SEND-EVENTS:ACK", "event of the lamp");
    }

    /** attributes//zone is not a JSON pointer: evaluating it threw on every event; now the filter is refused. */
    @Test
    void anEventFilterWithAnEmptyPathSegmentIsRefused() {
        session.onText("START-SEND-EVENTS?filter=eq(attributes%2F%2Fzone,%22x%22)&correlation-id=e-1");
        DittoRuntimeException bad = error(parse(sent.get(0)));
        assertThat(bad.getErrorCode()).isEqualTo("rql.expression.invalid");
        assertThat(bad.getMessage()).contains("attributes//zone");
        assertThat(session.receivesEvents()).isFalse();
    }

    /** like was a backtracking regular expression: this pattern over a long value held the twin's event thread. */
    @Test
    void anEventFilterLikeDoesNotBacktrack() {
        Thing chatty = ThingsModelFactory.newThingBuilder().setId(LAMP)
                .setAttribute(JsonPointer.of("zone"), JsonValue.of("a".repeat(5000))).build();
        session.onText("START-SEND-EVENTS?filter=like(attributes%2Fzone,%22" + "*a".repeat(30) + "b%22)");
        session.onEvent(event(chatty), ADAPTER.toAdaptable(event(chatty).event()), "not sent");
        session.onText("START-SEND-EVENTS?filter=like(attributes%2Fzone,%22" + "*a".repeat(30) + "%22)");
        session.onEvent(event(chatty), ADAPTER.toAdaptable(event(chatty).event()), "sent");
        assertThat(sent).containsExactly("START-SEND-EVENTS:ACK", "START-SEND-EVENTS:ACK", "sent");
        assertThat(Wildcards.matches("n?ise-*7", "noise-17")).isTrue();
        assertThat(Wildcards.matches("n?ise-*7", "nise-17")).isFalse();
        assertThat(Wildcards.matches("?", "\ud83d\ude00")).isTrue();
    }
}
