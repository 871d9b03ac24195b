package nl.lantaarn.adapters.citizenreports.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import nl.lantaarn.adapter.api.PayloadRejectedException;

/**
 * Reads the fields of a GeoReport v2 "POST Service Request" form into a {@link Report}. Every rejection names the
 * field; values of contact fields are never repeated in a reason.
 */
final class Open311Parser {

    static final String SERVICE_CODE = "service_code";
    static final String LAT = "lat";
    static final String LONG = "long";
    static final String ADDRESS_STRING = "address_string";
    static final String ADDRESS_ID = "address_id";
    static final String DESCRIPTION = "description";
    static final String MEDIA_URL = "media_url";
    static final String EMAIL = "email";
    static final String PHONE = "phone";
    static final String ACCOUNT_ID = "account_id";
    static final String FIRST_NAME = "first_name";
    static final String LAST_NAME = "last_name";
    static final String JURISDICTION_ID = "jurisdiction_id";
    static final String API_KEY = "api_key";

    /** Fields that are never needed after the request was accepted: not passed on, so no dead letter holds them. */
    static final Set<String> NOT_PASSED_ON = Set.of(API_KEY, FIRST_NAME, LAST_NAME, "device_id");

    static final int MAX_DESCRIPTION = 4000;
    static final int MAX_ADDRESS = 500;
    static final int MAX_URL = 2048;
    static final int MAX_EMAIL = 254;
    static final int MAX_ACCOUNT = 128;

    private static final Pattern EMAIL_ADDRESS = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}\\.[^@\\s.]{2,63}");
    private static final Pattern PHONE_CHARACTERS = Pattern.compile("\\+?[0-9 ()./-]{6,32}");

    private Open311Parser() {
        throw new AssertionError("no instances");
    }

    /**
     * @param country the instance's country, for phone numbers without a country code
     * @param receivedAt when the request arrived: its {@code requestedAt}
     */
    static Report parse(Map<String, String> form, ServiceCatalog services, String country, Instant receivedAt)
            throws PayloadRejectedException {
        String code = text(form, SERVICE_CODE, 64);
        if (code == null) {
            throw new PayloadRejectedException(SERVICE_CODE + ": is missing; GET services.json lists the codes");
        }
        ServiceCatalog.Service service = services.service(code).orElseThrow(() -> new PayloadRejectedException(
                SERVICE_CODE + ": '" + code + "' is not one of this hub's services; GET services.json lists the "
                        + "codes"));

        Double lat = coordinate(form, LAT, 90);
        Double lon = coordinate(form, LONG, 180);
        if ((lat == null) != (lon == null)) {
            throw new PayloadRejectedException((lat == null ? LAT : LONG) + ": is missing; give lat and long "
                    + "together (WGS84 decimal degrees)");
        }
        String address = text(form, ADDRESS_STRING, MAX_ADDRESS);
        String addressId = text(form, ADDRESS_ID, 100);
        if (lat == null && address == null && addressId == null) {
            throw new PayloadRejectedException(LAT + "/" + LONG + ": a location is required; give lat and long "
                    + "(WGS84 decimal degrees), or address_string");
        }
        if (address == null && addressId != null) {
            address = addressId;
        }
        String description = text(form, DESCRIPTION, MAX_DESCRIPTION);
        String mediaUrl = url(text(form, MEDIA_URL, MAX_URL), MEDIA_URL);
        Contact contact = new Contact(email(form), phone(form), text(form, ACCOUNT_ID, MAX_ACCOUNT), country);
        return new Report(Report.OPEN311, null, service.code(), null, PersonalDataScrubber.scrub(description),
                lat, lon, address, mediaUrl, contact, Report.OPEN, null, receivedAt, receivedAt);
    }

    /** The field stripped of surrounding white space and control characters other than line breaks; null when empty. */
    static String text(Map<String, String> form, String field, int maxLength) throws PayloadRejectedException {
        String value = form.get(field);
        if (value == null) {
            return null;
        }
        String cleaned = clean(value);
        if (cleaned.isEmpty()) {
            return null;
        }
        if (cleaned.length() > maxLength) {
            throw new PayloadRejectedException(field + ": must be at most " + maxLength + " characters, was "
                    + cleaned.length());
        }
        return cleaned;
    }

    static String clean(String value) {
        StringBuilder cleaned = new StringBuilder(value.length());
        value.strip().codePoints()
                .filter(c -> c == '\n' || c == '\t' || !Character.isISOControl(c))
                .forEach(cleaned::appendCodePoint);
        return cleaned.toString();
    }

    private static Double coordinate(Map<String, String> form, String field, double limit)
            throws PayloadRejectedException {
        String value = text(form, field, 40);
        if (value == null) {
            return null;
        }
        double number;
        try {
            number = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new PayloadRejectedException(field + ": must be a decimal number of degrees (WGS84), e.g. "
                    + (limit == 90 ? "51.4416" : "5.4697") + ", was '" + value + "'");
        }
        if (!Double.isFinite(number) || number < -limit || number > limit) {
            throw new PayloadRejectedException(field + ": must be between -" + (int) limit + " and " + (int) limit
                    + " degrees, was " + value);
        }
        return number;
    }

    /** An http(s) URL, or null. */
    static String url(String value, String field) throws PayloadRejectedException {
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new PayloadRejectedException(field + ": must be an http or https URL of a photo, e.g. "
                + "https://example.nl/photo.jpg");
    }

    private static String email(Map<String, String> form) throws PayloadRejectedException {
        String email = text(form, EMAIL, MAX_EMAIL);
        if (email != null && !EMAIL_ADDRESS.matcher(email).matches()) {
            throw new PayloadRejectedException(EMAIL + ": is not an e-mail address; expected name@domain, e.g. "
                    + "melder@example.nl");
        }
        return email;
    }

    private static String phone(Map<String, String> form) throws PayloadRejectedException {
        String phone = text(form, PHONE, 32);
        if (phone == null) {
            return null;
        }
        long digits = phone.chars().filter(c -> c >= '0' && c <= '9').count();
        if (!PHONE_CHARACTERS.matcher(phone).matches() || digits < 6 || digits > 20) {
            throw new PayloadRejectedException(PHONE + ": is not a telephone number; expected 6-20 digits with "
                    + "optional +, spaces, dashes or parentheses, e.g. 06-12345678");
        }
        return phone;
    }
}
