package nl.lantaarn.http.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;

/**
 * One API client, from its own file {@code etc/nl.lantaarn.http.client-<name>.cfg} (written by
 * {@code ./lantaarn clients add}, removed by {@code ./lantaarn clients revoke}). FileInstall turns each file into a
 * factory configuration and DS into one of these; {@link ApiKeyAuthenticator} collects them, so a client added or
 * revoked while the hub runs counts from the next request on. The separator is '-': FileInstall 3.7 splits a file
 * name into factory PID and name at the first '-' (a '~' would make a plain PID that DS never gives to this component).
 */
@Component(service = ClientFile.class, configurationPid = ClientFile.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ClientFile.Config.class, factory = true)
public final class ClientFile {

    static final String FACTORY_PID = "nl.lantaarn.http.client";
    /** The names {@code ./lantaarn clients add} accepts; the file name carries it, so no path characters. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern LIST = Pattern.compile("[,\\s]+");

    @ObjectClassDefinition(name = "Lantaarn API client",
            description = "One API client; made by ./lantaarn clients add, one file per client.")
    public @interface Config {
        @AttributeDefinition(description = "The client's name, shown in logs and audit records.")
        String name() default "";

        @AttributeDefinition(description = "Its roles: reader, writer, operator, admin (each includes the ones "
                + "before it); several separated by commas.")
        String[] roles() default {};

        @AttributeDefinition(description = "Why the client has access.")
        String purpose() default "";

        @AttributeDefinition(description = "When it was added (ISO-8601).")
        String created() default "";

        @AttributeDefinition(description = "sha256:<64 hex digits>: the SHA-256 hash of its API key.")
        String keyHash() default "";

        @AttributeDefinition(description = "Its own rate limit in requests per second (e.g. 50 or 0.5); empty: the "
                + "requestsPerSecond of nl.lantaarn.http.ratelimit.")
        String rateLimit() default "";

        @AttributeDefinition(description = "Its own burst (requests at once); empty: the burst of "
                + "nl.lantaarn.http.ratelimit.")
        String rateBurst() default "";
    }

    private final Optional<ApiKeys.Entry> entry;
    private final List<String> problems;
    private final String source;
    private final Double ratePerSecond;
    private final Integer rateBurst;

    @Activate
    public ClientFile(Config config, Map<String, Object> properties) {
        this(config.name(), config.roles(), config.purpose(), config.keyHash(), config.rateLimit(),
                config.rateBurst(), source(properties));
    }

    ClientFile(String name, String[] roleLists, String purpose, String keyHash, String source) {
        this(name, roleLists, purpose, keyHash, "", "", source);
    }

    ClientFile(String name, String[] roleLists, String purpose, String keyHash, String rateLimitText,
            String rateBurstText, String source) {
        this.source = source;
        List<String> found = new ArrayList<>();
        String trimmedName = name.trim();
        if (!NAME.matcher(trimmedName).matches()) {
            found.add("'name' must be 1-64 characters a-z, 0-9, '.', '_', '-' (starting with a letter or digit), "
                    + "was '" + trimmedName + "'");
        } else if (trimmedName.equals(ApiGateFilter.ANONYMOUS)) {
            found.add("'name' must not be '" + ApiGateFilter.ANONYMOUS + "': the audit records requests without a key "
                    + "under that name");
        }
        ratePerSecond = checked(found, () -> RateLimit.perSecond("rateLimit", rateLimitText));
        rateBurst = checked(found, () -> RateLimit.burst("rateBurst", rateBurstText));
        Set<Role> roles = EnumSet.noneOf(Role.class);
        boolean anyGiven = false;
        for (String value : roleLists) {
            for (String id : LIST.split(value.trim())) {
                if (!id.isEmpty()) {
                    anyGiven = true;
                    Role.of(id).ifPresentOrElse(roles::add, () -> found.add("unknown role '" + id
                            + "'; the roles are " + Role.ids()));
                }
            }
        }
        if (!anyGiven) {
            found.add("'roles' is empty; give one of " + Role.ids());
        }
        String hash = keyHash.trim();
        String hex = hash.startsWith("sha256:") ? hash.substring("sha256:".length()) : "";
        if (!ApiKeys.HEX.matcher(hex).matches()) {
            found.add("'keyHash' is not sha256:<64 hex digits>");
        }
        problems = List.copyOf(found);
        entry = problems.isEmpty()
                ? Optional.of(new ApiKeys.Entry(HexFormat.of().parseHex(hex),
                        new ApiClient(trimmedName, roles, purpose.trim())))
                : Optional.empty();
    }

    private static <T> T checked(List<String> problems, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /** The file FileInstall made the configuration from, for messages. */
    private static String source(Map<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        return file != null ? file.toString().replaceFirst("^file:", "")
                : "configuration " + properties.getOrDefault("service.pid", FACTORY_PID);
    }

    /** The client and its key's hash; empty when the file is not valid (see {@link #problems()}). */
    Optional<ApiKeys.Entry> entry() {
        return entry;
    }

    List<String> problems() {
        return problems;
    }

    /** Whether the file sets the client's own rateLimit or rateBurst. */
    boolean hasRateLimit() {
        return ratePerSecond != null || rateBurst != null;
    }

    /** The client's rate limit: {@code defaults} with what the file sets instead. */
    RateLimit rateLimit(RateLimit defaults) {
        return defaults.with(ratePerSecond, rateBurst);
    }

    /** The file it came from, for messages. */
    String source() {
        return source;
    }
}
