package nl.lantaarn.ditto.api.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.exceptions.InvalidRqlExpressionException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonArrayBuilder;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.thingsearch.model.signals.commands.exceptions.InvalidOptionException;
import org.eclipse.ditto.thingsearch.model.signals.commands.exceptions.SubscriptionNotFoundException;
import org.eclipse.ditto.thingsearch.model.signals.commands.subscription.CancelSubscription;
import org.eclipse.ditto.thingsearch.model.signals.commands.subscription.CreateSubscription;
import org.eclipse.ditto.thingsearch.model.signals.commands.subscription.RequestFromSubscription;
import org.eclipse.ditto.thingsearch.model.signals.events.SubscriptionComplete;
import org.eclipse.ditto.thingsearch.model.signals.events.SubscriptionCreated;
import org.eclipse.ditto.thingsearch.model.signals.events.SubscriptionFailed;
import org.eclipse.ditto.thingsearch.model.signals.events.SubscriptionHasNextPage;

import nl.lantaarn.search.api.SearchQueryException;
import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.twin.api.TwinService;

/**
 * The search protocol of one WebSocket session, as the Ditto client's {@code twin().search()} uses it:
 * {@code subscribe} is answered {@code created}; each {@code request} of n pages is answered with up to n
 * {@code next} pages, and {@code complete} once every match was sent; {@code cancel} ends a subscription. A query that
 * cannot run is answered {@code failed} at the first request, with the Ditto error that names the problem.
 * <p>
 * The matching thing ids are fixed when the subscription is created (sorted by thing id); each page reads the things
 * as they are when it is sent, leaving out things deleted in between. Searching needs role reader; the client gets
 * only things its access policies let it see, cut to what it may read, and a thing matches only when the client may
 * read every path the filter reads (else a match would tell it something about a hidden value).
 */
final class SearchSubscriptions {

    static final int DEFAULT_PAGE_SIZE = 25;
    static final int MAX_PAGE_SIZE = 200;
    private static final Pattern SIZE = Pattern.compile("size\\((\\d{1,9})\\)");
    private static final Pattern SORT_BY_ID = Pattern.compile("sort\\(\\s*\\+?thingId\\s*\\)");

    private static final class Subscription {
        final List<String> ids;
        final List<JsonPointer> queried;
        final int pageSize;
        final JsonFieldSelector fields;
        final DittoRuntimeException failure;
        int next;

        Subscription(List<String> ids, List<JsonPointer> queried, int pageSize, JsonFieldSelector fields,
                DittoRuntimeException failure) {
            this.ids = ids;
            this.queried = queried;
            this.pageSize = pageSize;
            this.fields = fields;
            this.failure = failure;
        }

        static Subscription failed(DittoRuntimeException failure) {
            return new Subscription(List.of(), List.of(), 0, null, failure);
        }
    }

    private final TwinService twin;
    private final Enforcement enforcement;
    private final Supplier<ThingSearch> search;
    private final int maxSubscriptions;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();

    SearchSubscriptions(TwinService twin, Enforcement enforcement, Supplier<ThingSearch> search,
            int maxSubscriptions) {
        this.twin = twin;
        this.enforcement = enforcement;
        this.search = search;
        this.maxSubscriptions = maxSubscriptions;
    }

    /**
     * Handles one search command of {@code client}; {@code out} receives the answers in order. Called by one thread
     * at a time.
     */
    synchronized void handle(Signal<?> command, ApiClient client, DittoHeaders headers, Consumer<Signal<?>> out) {
        if (command instanceof CreateSubscription create) {
            String id = UUID.randomUUID().toString();
            if (subscriptions.size() >= maxSubscriptions) {
                subscriptions.put(id, Subscription.failed(new HubRefusalException(
                        HubRefusalException.UNSUPPORTED, HttpStatus.TOO_MANY_REQUESTS,
                        "This connection has " + maxSubscriptions + " open search subscriptions already.",
                        "Cancel a subscription or read it to its end before starting another.", headers)));
            } else {
                subscriptions.put(id, open(create, client, headers));
            }
            out.accept(SubscriptionCreated.of(id, headers));
        } else if (command instanceof RequestFromSubscription request) {
            String id = request.getSubscriptionId();
            Subscription subscription = subscriptions.get(id);
            if (subscription == null) {
                out.accept(SubscriptionFailed.of(id, SubscriptionNotFoundException.of(id, headers), headers));
                return;
            }
            if (subscription.failure != null) {
                subscriptions.remove(id);
                out.accept(SubscriptionFailed.of(id, subscription.failure, headers));
                return;
            }
            for (long page = 0; page < request.getDemand() && subscription.next < subscription.ids.size(); page++) {
                JsonArray items = nextPage(subscription, client);
                if (!items.isEmpty()) {
                    out.accept(SubscriptionHasNextPage.of(id, items, headers));
                }
            }
            if (subscription.next >= subscription.ids.size()) {
                subscriptions.remove(id);
                out.accept(SubscriptionComplete.of(id, headers));
            }
        } else if (command instanceof CancelSubscription cancel) {
            subscriptions.remove(cancel.getSubscriptionId());
        }
    }

    synchronized int open() {
        return subscriptions.size();
    }

    /**
     * The next page: up to a page size of the things as they are now, each as the client may see it, leaving out
     * things deleted since, hidden from the client, or matched on a path it may not read.
     */
    private JsonArray nextPage(Subscription subscription, ApiClient client) {
        JsonArrayBuilder items = JsonFactory.newArrayBuilder();
        int added = 0;
        while (added < subscription.pageSize && subscription.next < subscription.ids.size()) {
            Optional<Thing> thing = twin.retrieve(ThingId.of(subscription.ids.get(subscription.next++)));
            if (thing.isPresent() && enforcement.mayMatch(client, thing.get().toJson(), subscription.queried)) {
                Optional<JsonObject> view = enforcement.view(client, thing.get(), subscription.fields);
                if (view.isPresent()) {
                    items.add(view.get());
                    added++;
                }
            }
        }
        return items.build();
    }

    private Subscription open(CreateSubscription create, ApiClient client, DittoHeaders headers) {
        JsonFieldSelector fields = create.getSelectedFields().orElse(null);
        try {
            Enforcement.requireReader(client, "Searching things", headers);
            int pageSize = pageSize(create.getOptions().orElse(""), headers);
            ThingSearch thingSearch = search.get();
            if (thingSearch == null) {
                throw new HubRefusalException("things-search:search.unavailable", HttpStatus.SERVICE_UNAVAILABLE,
                        "The hub's search (bundle nl.lantaarn.search) is not running.",
                        "Retry later; ask the hub's operator to start the search bundle.", headers);
            }
            String filter = create.getFilter().orElse(null);
            List<String> found = thingSearch.thingIds(filter, null, null, ThingSearch.MAX_LIMIT);
            if (found.size() >= ThingSearch.MAX_LIMIT) {
                throw new HubRefusalException("things-search:result.toolarge", HttpStatus.BAD_REQUEST,
                        "The filter matches " + ThingSearch.MAX_LIMIT + " things or more; a search serves fewer.",
                        "Narrow the filter (e.g. by namespace or attributes/zone) so that it matches fewer than "
                                + ThingSearch.MAX_LIMIT + " things.", headers);
            }
            Set<String> namespaces = create.getNamespaces().orElse(Set.of());
            List<String> ids = new ArrayList<>();
            for (String id : found) {
                if (namespaces.isEmpty() || namespaces.contains(id.substring(0, Math.max(0, id.indexOf(':'))))) {
                    ids.add(id);
                }
            }
            return new Subscription(ids, enforcement.readsEverything(client) ? List.of() : FilterPaths.of(filter),
                    pageSize, fields, null);
        } catch (SearchQueryException e) {
            return Subscription.failed(InvalidRqlExpressionException.newBuilder()
                    .message(e.getMessage())
                    .description("Write the filter as in Ditto's search, e.g. eq(attributes/zone,\"stratumseind\").")
                    .dittoHeaders(headers).build());
        } catch (DittoRuntimeException e) {
            return Subscription.failed(e);
        }
    }

    /** The page size of Ditto's options ({@code size(n)}); {@code sort(+thingId)} is the only order there is. */
    private static int pageSize(String options, DittoHeaders headers) {
        int size = DEFAULT_PAGE_SIZE;
        for (String option : options.split(",(?![^(]*\\))")) {
            String trimmed = option.trim();
            if (trimmed.isEmpty() || SORT_BY_ID.matcher(trimmed).matches()) {
                continue;
            }
            Matcher sizeOption = SIZE.matcher(trimmed);
            if (sizeOption.matches()) {
                size = Integer.parseInt(sizeOption.group(1));
                if (size >= 1 && size <= MAX_PAGE_SIZE) {
                    continue;
                }
            }
            throw InvalidOptionException.newBuilder()
                    .message("The search option '" + trimmed + "' is not supported by this hub.")
                    .description("Use size(n) with n from 1 to " + MAX_PAGE_SIZE + " and sort(+thingId) (the only "
                            + "order: results are sorted by thing id); cursor and limit are not needed, the "
                            + "subscription pages by itself.")
                    .dittoHeaders(headers).build();
        }
        return size;
    }
}
