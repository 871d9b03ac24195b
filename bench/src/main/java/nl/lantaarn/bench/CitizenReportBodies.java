package nl.lantaarn.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Simulated citizen reports in Eindhoven and their request bodies: Open311 GeoReport v2 forms
 * ({@code POST /ingest/open311/requests.json}) and Signalen signals ({@code POST /ingest/citizen-reports/signalen}).
 * Reporters come from a fixed pool of made-up residents (example.nl addresses, 06-1... numbers), so the hub sees
 * the same reporter more than once; some report anonymously, and some write their phone number or address in the
 * description, as real reporters do.
 */
final class CitizenReportBodies {

    /** A report category: Open311 service code (a Signalen slug), its Signalen main category, what people write. */
    record Category(String code, String group, List<String> texts) {
    }

    /** A made-up resident; {@code email} or {@code phone} may be null. */
    record Reporter(String firstName, String lastName, String email, String phone) {
    }

    /** One simulated report. */
    record Report(Category category, double lat, double lon, String address, String description, Reporter reporter,
            Instant at) {
    }

    static final List<Category> CATEGORIES = List.of(
            new Category("lantaarnpaal-straatverlichting", "wegen-verkeer-straatmeubilair", List.of(
                    "Lantaarnpaal brandt niet meer, het is hier 's avonds erg donker.",
                    "Straatlantaarn knippert de hele nacht.",
                    "Lamp brandt overdag ook.")),
            new Category("verkeerslicht", "wegen-verkeer-straatmeubilair", List.of(
                    "Voetgangerslicht springt niet op groen.",
                    "Verkeerslicht staat op knipperend oranje.")),
            new Category("bestrating", "wegen-verkeer-straatmeubilair", List.of(
                    "Losse stoeptegels, iemand is er al over gestruikeld.",
                    "Gat in het fietspad van zo'n 20 cm.")),
            new Category("straatmeubilair", "wegen-verkeer-straatmeubilair", List.of(
                    "Bankje is kapot, er steekt een spijker uit.",
                    "Paaltje ligt omver.")),
            new Category("zwerfafval", "afval", List.of(
                    "Veel zwerfafval rond de bankjes na het weekend.",
                    "Zakken met afval naast de glasbak.")),
            new Category("container-is-vol", "afval", List.of(
                    "Papiercontainer zit al drie dagen vol.",
                    "Ondergrondse container gaat niet meer open.")),
            new Category("boom", "openbaar-groen-en-water", List.of(
                    "Grote tak hangt boven het fietspad.",
                    "Boom is omgewaaid en blokkeert de stoep.")),
            new Category("fietswrak", "overlast-in-de-openbare-ruimte", List.of(
                    "Fietswrak staat al maanden tegen het hek.")),
            new Category("graffiti-wildplak", "overlast-in-de-openbare-ruimte", List.of(
                    "Graffiti op de gevel van het buurthuis.")),
            new Category("overig", "overig", List.of(
                    "Putdeksel maakt veel lawaai als er een auto overheen rijdt.")));

    private static final String[] STREETS = {"Stratumseind", "Markt", "Demer", "Kleine Berg", "Vestdijk",
        "Wilhelminaplein", "Keizersgracht", "Hoogstraat", "Kruisstraat", "Woenselse Markt"};
    private static final String[] FIRST = {"Anne", "Daan", "Fatima", "Jan", "Lotte", "Mohammed", "Noor", "Sem",
        "Sophie", "Yusuf"};
    private static final String[] LAST = {"Bakker", "de Vries", "El Amrani", "Jansen", "Peters", "van Dijk",
        "Visser", "Yilmaz"};
    /** The centre of Eindhoven; reports fall within about 2 km of it. */
    private static final double CENTRE_LAT = 51.4416;
    private static final double CENTRE_LON = 5.4697;
    private static final double SPREAD_LAT = 0.018;
    private static final double SPREAD_LON = 0.029;
    static final int RESIDENTS = 40;

    private final List<Category> categories;
    private final List<Reporter> residents;

    /** @param categories the categories to report in (those the hub lists, or {@link #CATEGORIES}) */
    CitizenReportBodies(List<Category> categories) {
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("at least one category is needed");
        }
        this.categories = List.copyOf(categories);
        List<Reporter> pool = new ArrayList<>(RESIDENTS);
        for (int i = 0; i < RESIDENTS; i++) {
            String first = FIRST[i % FIRST.length];
            String last = LAST[(i * 3) % LAST.length];
            String email = i % 5 == 4 ? null : (first + "." + last.replace(" ", "")).toLowerCase(Locale.ROOT) + "."
                    + (i + 1) + "@example.nl";
            // made-up mobile numbers, all of one pattern
            String phone = i % 3 == 0 ? String.format(Locale.ROOT, "06-1%07d", 1000 + i * 7919) : null;
            pool.add(new Reporter(first, last, email, phone));
        }
        this.residents = List.copyOf(pool);
    }

    /**
     * Categories with the codes the hub lists: known codes keep their texts, unknown ones get a generic text.
     *
     * @param codes service code to group, in the hub's order
     */
    static List<Category> fromHub(Map<String, String> codes) {
        List<Category> result = new ArrayList<>();
        codes.forEach((code, group) -> result.add(CATEGORIES.stream().filter(c -> c.code().equals(code)).findFirst()
                .orElse(new Category(code, group.isEmpty() ? "overig" : group, List.of(
                        "Melding over de openbare ruimte: graag even komen kijken.")))));
        return result;
    }

    List<Category> categories() {
        return categories;
    }

    /** A new report at {@code at}: category, place, text and reporter drawn from {@code random}. */
    Report next(RandomGenerator random, Instant at) {
        Category category = categories.get(random.nextInt(categories.size()));
        double lat = round(CENTRE_LAT + random.nextDouble(-SPREAD_LAT, SPREAD_LAT));
        double lon = round(CENTRE_LON + random.nextDouble(-SPREAD_LON, SPREAD_LON));
        String street = STREETS[random.nextInt(STREETS.length)];
        String address = street + " " + (1 + random.nextInt(120)) + ", Eindhoven";
        String text = category.texts().get(random.nextInt(category.texts().size()));
        // about one in eight reporters is anonymous
        Reporter reporter = random.nextInt(8) == 0 ? null : residents.get(random.nextInt(residents.size()));
        if (reporter != null && reporter.phone() != null && random.nextInt(4) == 0) {
            text = text + " Bel me gerust: " + reporter.phone() + ".";
        } else if (reporter != null && reporter.email() != null && random.nextInt(6) == 0) {
            text = text + " Mail mij op " + reporter.email() + " als het is opgelost.";
        }
        return new Report(category, lat, lon, address, text, reporter, at.truncatedTo(ChronoUnit.SECONDS));
    }

    /** The GeoReport v2 form, UTF-8, without an API key (the simulator sends that in a header). */
    static String open311Form(Report report, String jurisdiction) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (jurisdiction != null) {
            fields.put("jurisdiction_id", jurisdiction);
        }
        fields.put("service_code", report.category().code());
        fields.put("lat", String.format(Locale.ROOT, "%.6f", report.lat()));
        fields.put("long", String.format(Locale.ROOT, "%.6f", report.lon()));
        fields.put("address_string", report.address());
        fields.put("description", report.description());
        Reporter reporter = report.reporter();
        if (reporter != null) {
            putIfPresent(fields, "email", reporter.email());
            putIfPresent(fields, "phone", reporter.phone());
            fields.put("first_name", reporter.firstName());
            fields.put("last_name", reporter.lastName());
        }
        StringBuilder form = new StringBuilder(256);
        fields.forEach((name, value) -> {
            if (form.length() > 0) {
                form.append('&');
            }
            form.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        return form.toString();
    }

    /** The JSON of Signalen's {@code POST /signals/v1/public/signals/}. */
    static String signalenJson(Report report) {
        StringBuilder json = new StringBuilder(512);
        json.append("{\"text\":").append(quote(report.description()))
                .append(",\"location\":{\"geometrie\":{\"type\":\"Point\",\"coordinates\":[")
                .append(String.format(Locale.ROOT, "%.6f,%.6f", report.lon(), report.lat())).append("]}")
                .append(",\"address_text\":").append(quote(report.address())).append('}')
                .append(",\"category\":{\"sub_category\":").append(quote("/signals/v1/public/terms/categories/"
                        + report.category().group() + "/sub_categories/" + report.category().code())).append('}');
        Reporter reporter = report.reporter();
        if (reporter != null) {
            json.append(",\"reporter\":{\"email\":").append(reporter.email() == null ? "null"
                    : quote(reporter.email()))
                    .append(",\"phone\":").append(reporter.phone() == null ? "null" : quote(reporter.phone()))
                    .append(",\"sharing_allowed\":false}");
        }
        json.append(",\"incident_date_start\":").append(quote(report.at().toString()))
                .append(",\"incident_date_end\":null}");
        return json.toString();
    }

    private static void putIfPresent(Map<String, String> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }

    private static double round(double degrees) {
        return Math.round(degrees * 1e6) / 1e6;
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
