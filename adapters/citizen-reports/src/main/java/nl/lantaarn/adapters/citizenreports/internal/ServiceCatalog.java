package nl.lantaarn.adapters.citizenreports.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;

/**
 * The categories a reporter can choose (Open311 "services"): code, name and group. Configured as
 * {@code category.<code> = <name>} and optionally {@code group.<code> = <group>}; without any {@code category.} key the
 * defaults below apply, whose codes and groups follow the Dutch Signalen categories (sub-category and main-category
 * slugs), so that reports from Open311 and Signalen share one vocabulary. Immutable.
 */
final class ServiceCatalog {

    /** Not {@code service.}: ConfigAdmin's own keys start with that and are left out of an adapter's configuration. */
    static final String SERVICE_PREFIX = "category.";
    static final String GROUP_PREFIX = "group.";
    static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /** One category. */
    record Service(String code, String name, String group) {
    }

    private static final String ROADS = "wegen-verkeer-straatmeubilair";
    private static final String WASTE = "afval";
    private static final String GREEN = "openbaar-groen-en-water";
    private static final String NUISANCE = "overlast-in-de-openbare-ruimte";

    static final ServiceCatalog DEFAULTS = new ServiceCatalog(defaults());

    private final Map<String, Service> services;

    private ServiceCatalog(Map<String, Service> services) {
        this.services = Collections.unmodifiableMap(services);
    }

    private static Map<String, Service> defaults() {
        Map<String, Service> map = new LinkedHashMap<>();
        put(map, "lantaarnpaal-straatverlichting", "Lantaarnpaal of straatverlichting", ROADS);
        put(map, "verkeerslicht", "Verkeerslicht", ROADS);
        put(map, "bestrating", "Bestrating: losse tegels, gaten, verzakking", ROADS);
        put(map, "straatmeubilair", "Straatmeubilair: bank, paaltje, hek", ROADS);
        put(map, "verkeersbord", "Verkeersbord", ROADS);
        put(map, "zwerfafval", "Zwerfafval", WASTE);
        put(map, "container-is-vol", "Container is vol", WASTE);
        put(map, "grofvuil", "Grofvuil op straat", WASTE);
        put(map, "boom", "Boom: omgewaaid, takken, ziek", GREEN);
        put(map, "onkruid", "Onkruid", GREEN);
        put(map, "fietswrak", "Fietswrak", NUISANCE);
        put(map, "graffiti-wildplak", "Graffiti of wildplakken", NUISANCE);
        put(map, "geluidsoverlast", "Geluidsoverlast op straat", NUISANCE);
        put(map, "overig", "Overig", "overig");
        return map;
    }

    private static void put(Map<String, Service> map, String code, String name, String group) {
        map.put(code, new Service(code, name, group));
    }

    /** The configured catalog, or the defaults when no {@code category.} key is set. */
    static ServiceCatalog of(AdapterConfiguration configuration) throws AdapterConfigurationException {
        Map<String, String> names = configuration.withPrefix(SERVICE_PREFIX);
        Map<String, String> groups = configuration.withPrefix(GROUP_PREFIX);
        if (names.isEmpty()) {
            if (!groups.isEmpty()) {
                throw new AdapterConfigurationException(GROUP_PREFIX + groups.keySet().iterator().next(),
                        "names a group, but no " + SERVICE_PREFIX + "<code> key is set; set the categories too");
            }
            return DEFAULTS;
        }
        Map<String, Service> map = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : names.entrySet()) {
            String code = entry.getKey();
            if (!CODE.matcher(code).matches()) {
                throw new AdapterConfigurationException(SERVICE_PREFIX + code, "the service code must be 1-64 "
                        + "lower-case letters, digits and dashes, e.g. " + SERVICE_PREFIX
                        + "lantaarnpaal-straatverlichting");
            }
            if (entry.getValue().isBlank()) {
                throw new AdapterConfigurationException(SERVICE_PREFIX + code, "needs a name, e.g. "
                        + SERVICE_PREFIX + code + " = Lantaarnpaal of straatverlichting");
            }
            map.put(code, new Service(code, entry.getValue(), groups.getOrDefault(code, "")));
        }
        for (String code : groups.keySet()) {
            if (!map.containsKey(code)) {
                throw new AdapterConfigurationException(GROUP_PREFIX + code, "names a group for service '" + code
                        + "', which is not configured; add " + SERVICE_PREFIX + code + " = <name>");
            }
        }
        return new ServiceCatalog(map);
    }

    /** Every service: the defaults by group, configured ones sorted by code. */
    Map<String, Service> services() {
        return services;
    }

    Optional<Service> service(String code) {
        return Optional.ofNullable(services.get(code));
    }

    @Override
    public String toString() {
        return "ServiceCatalog" + services.keySet();
    }
}
