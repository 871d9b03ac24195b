package nl.lantaarn.ditto.api.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.http.internal.ThingPolicies;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Authenticator;
import nl.lantaarn.security.api.Role;
import nl.lantaarn.twin.api.TwinService;
import nl.lantaarn.twin.api.WriteCondition;

/**
 * The clients, keys, things and real access policies (the hub's policies/default.json and a partner file in a
 * folder, read by the hub's own ThingPolicies) that the policy tests of the Ditto API share.
 */
final class Partners {

    static final ApiClient POLICE = new ApiClient("police", Set.of(Role.READER), "incident response");
    static final ApiClient WIJKAPP = new ApiClient("wijkapp", Set.of(Role.READER), "neighbourhood information");
    static final ApiClient MAINTAINER = new ApiClient("maintainer", Set.of(Role.WRITER), "sensor maintenance");
    static final ApiClient NOBODY = new ApiClient("nobody", Set.of(), "a client that was given no role");
    static final Map<String, ApiClient> KEYS = Map.of("police-key", POLICE, "wijkapp-key", WIJKAPP,
            "maintainer-key", MAINTAINER, "nobody-key", NOBODY);

    static final ThingId NOISE = ThingId.of("nl.eindhoven.safety:noise-7");
    static final ThingId LAMP = ThingId.of("nl.eindhoven.lighting:lamp-1");
    static final JsonPointer LAEQ = JsonPointer.of("/features/noise/properties/laeq");
    static final JsonPointer LAMAX = JsonPointer.of("/features/noise/properties/lamax");

    /**
     * The neighbourhood app sees no equivalent sound level and only the safety domain; the maintainer may write
     * everything but the sound level.
     */
    static final String POLICY = """
            {"policyId": "nl.lantaarn:partners", "entries": {
              "wijkapp": {
                "subjects": {"lantaarn:client:wijkapp": {"type": "neighbourhood app"}},
                "resources": {
                  "thing:/features/noise/properties/laeq": {"grant": [], "revoke": ["READ"]},
                  "domain:/": {"grant": [], "revoke": ["READ"]},
                  "domain:/safety": {"grant": ["READ"], "revoke": []}
                }
              },
              "maintainer": {
                "subjects": {"lantaarn:client:maintainer": {"type": "sensor maintenance"}},
                "resources": {"thing:/features/noise/properties/laeq": {"grant": [], "revoke": ["WRITE"]}}
              }
            }}
            """;

    private Partners() {
    }

    /** The hub's own policies from {@code folder}: the shipped default and the partner file. */
    static ThingPolicies policies(Path folder) {
        try {
            Files.copy(Path.of("../../policies/default.json"), folder.resolve("default.json"));
            Files.writeString(folder.resolve("partners.json"), POLICY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ThingPolicies.fromFolder(folder);
    }

    static Authenticator authenticator() {
        return (authorization, apiKey) -> {
            String key = authorization != null && authorization.startsWith("Bearer ")
                    ? authorization.substring("Bearer ".length()) : apiKey;
            return Optional.ofNullable(key == null ? null : KEYS.get(key));
        };
    }

    static void seed(TwinService twin) {
        twin.modify(NOISE, JsonPointer.empty(), JsonObject.of("{\"thingId\":\"" + NOISE + "\","
                + "\"attributes\":{\"zone\":\"stratumseind\",\"name\":\"Stratumseind 7\"},"
                + "\"features\":{\"noise\":{\"properties\":{\"laeq\":71.5,\"lamax\":80.1}}}}"), WriteCondition.any());
        twin.modify(LAMP, JsonPointer.empty(), JsonObject.of("{\"thingId\":\"" + LAMP + "\","
                + "\"attributes\":{\"zone\":\"stratumseind\"},\"features\":{\"lamp\":{\"properties\":{\"dim\":40}}}}"),
                WriteCondition.any());
    }
}
