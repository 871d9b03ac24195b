package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Set;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;

/** Decisions of the Ditto-style access policies, from real policy files in a folder. */
class ThingPoliciesTest {

    static final ApiClient POLICE = new ApiClient("police", Set.of(Role.READER), "incident response");
    static final ApiClient WIJKAPP = new ApiClient("wijkapp", Set.of(Role.READER), "neighbourhood information");
    static final ApiClient WRITER = new ApiClient("lighting-vendor", Set.of(Role.WRITER), "lamp maintenance");
    static final JsonObject NOISE = JsonObject.of("{\"thingId\":\"nl.eindhoven.safety:noise-7\","
            + "\"attributes\":{\"zone\":\"stratumseind\",\"name\":\"Stratumseind 7\"},"
            + "\"features\":{\"noise\":{\"properties\":{\"laeq\":71.5,\"lamax\":80.1}}}}");
    static final JsonObject LAMP = JsonObject.of("{\"thingId\":\"nl.eindhoven.lighting:lamp-1\","
            + "\"attributes\":{\"zone\":\"centrum\"},\"features\":{\"lamp\":{\"properties\":{\"dimLevel\":40}}}}");

    /** The partner policy of the docs: the neighbourhood app sees no sound levels, only safety things in one zone. */
    static final String PARTNERS = """
            {"policyId": "nl.lantaarn:partners", "entries": {
              "wijkapp": {
                "subjects": {"lantaarn:client:wijkapp": {"type": "neighbourhood app"}},
                "resources": {
                  "thing:/features/noise/properties/laeq": {"grant": [], "revoke": ["READ"]},
                  "domain:/": {"grant": [], "revoke": ["READ"]},
                  "domain:/safety": {"grant": ["READ"], "revoke": []},
                  "zone:/": {"grant": [], "revoke": ["READ"]},
                  "zone:/stratumseind": {"grant": ["READ"], "revoke": []}
                }
              },
              "vendor": {
                "subjects": {"lantaarn:client:lighting-vendor": {"type": "lamp maintenance"}},
                "resources": {"domain:/safety": {"grant": [], "revoke": ["WRITE"]}}
              }
            }}
            """;

    @TempDir
    Path folder;

    private ThingPolicies policies() throws IOException {
        Files.copy(Path.of("../../policies/default.json"), folder.resolve("default.json"));
        Files.writeString(folder.resolve("partners.json"), PARTNERS);
        return new ThingPolicies(folder, 0);
    }

    @Test
    void withoutFilesTheBuiltInDefaultLetsReadersReadAndWritersWrite() {
        ThingPolicies policies = new ThingPolicies(folder.resolve("absent"), 0);
        assertThat(policies.readsEverything(POLICE)).isTrue();
        assertThat(policies.readable(POLICE, NOISE)).contains(NOISE);
        assertThat(policies.mayWrite(POLICE, NOISE, JsonPointer.of("/attributes/name"))).isFalse();
        assertThat(policies.mayWrite(WRITER, NOISE, JsonPointer.empty())).isTrue();
        assertThat(policies.health().status()).isEqualTo(ComponentHealth.Status.UP);
    }

    @Test
    void aPropertyRevokedForOnePartnerIsAbsentForItAndVisibleToAnother() throws IOException {
        ThingPolicies policies = policies();
        assertThat(policies.readsEverything(POLICE)).isTrue();
        assertThat(policies.readable(POLICE, NOISE).orElseThrow()
                .getValue("features/noise/properties/laeq")).isPresent();

        assertThat(policies.readsEverything(WIJKAPP)).isFalse();
        JsonObject seen = policies.readable(WIJKAPP, NOISE).orElseThrow();
        assertThat(seen.getValue("features/noise/properties/laeq")).isEmpty();
        assertThat(seen.getValue("features/noise/properties/lamax")).isPresent();
        assertThat(seen.getValue("thingId")).isPresent();
        assertThat(policies.mayRead(WIJKAPP, NOISE, JsonPointer.of("/features/noise/properties/laeq"))).isFalse();
        assertThat(policies.mayRead(WIJKAPP, NOISE, JsonPointer.of("/features/noise/properties/lamax"))).isTrue();
    }

    @Test
    void domainAndZoneGrantsDecideWhichThingsAPartnerSees() throws IOException {
        ThingPolicies policies = policies();
        // another domain
        assertThat(policies.readable(WIJKAPP, LAMP)).isEmpty();
        // the right domain, another zone
        JsonObject elsewhere = NOISE.setValue(JsonPointer.of("attributes/zone"), "centrum");
        assertThat(policies.readable(WIJKAPP, elsewhere)).isEmpty();
        // no zone at all: zone:/ is revoked for it
        assertThat(policies.readable(WIJKAPP, NOISE.remove("attributes"))).isEmpty();
        assertThat(policies.readable(POLICE, LAMP)).contains(LAMP);
    }

    @Test
    void aRevokedWriteOnADomainRefusesWritesThereOnly() throws IOException {
        ThingPolicies policies = policies();
        assertThat(policies.mayWrite(WRITER, LAMP, JsonPointer.of("/features/lamp/properties/dimLevel"))).isTrue();
        assertThat(policies.mayWrite(WRITER, NOISE, JsonPointer.of("/attributes/name"))).isFalse();
        // it still reads there
        assertThat(policies.readable(WRITER, NOISE)).contains(NOISE);
    }

    @Test
    void aBrokenFileIsRefusedNamingTheProblemAndItsPreviousVersionStaysInUse() throws IOException {
        ThingPolicies policies = policies();
        Path partners = folder.resolve("partners.json");
        Files.writeString(partners, PARTNERS.replace("lantaarn:client:wijkapp", "client:wijkapp")
                .replace("\"zone:/stratumseind\"", "\"street:/stratumseind\"").replace("[\"READ\"]}", "[\"EXECUTE\"]}"));
        Files.setLastModifiedTime(partners, FileTime.from(Instant.now().plusSeconds(5)));
        policies.reload();

        ComponentHealth health = policies.health();
        assertThat(health.status()).isEqualTo(ComponentHealth.Status.DEGRADED);
        assertThat(health.detail()).contains("partners.json", "'client:wijkapp' is not lantaarn:client:",
                "has type 'street'", "EXECUTE", "the version loaded before stays in use");
        // still the old rules
        assertThat(policies.readable(WIJKAPP, NOISE).orElseThrow().getValue("features/noise/properties/laeq"))
                .isEmpty();

        Files.writeString(partners, "{\"policyId\": ");
        Files.setLastModifiedTime(partners, FileTime.from(Instant.now().plusSeconds(10)));
        policies.reload();
        assertThat(policies.health().detail()).contains("partners.json is not a valid Ditto policy");

        Files.delete(partners);
        policies.reload();
        assertThat(policies.health().status()).isEqualTo(ComponentHealth.Status.UP);
        assertThat(policies.readsEverything(WIJKAPP)).isTrue();
    }

    @Test
    void whatIsNotGrantedIsDenied() throws IOException {
        Files.writeString(folder.resolve("only-police.json"), """
                {"policyId": "nl.lantaarn:only", "entries": {"police": {
                  "subjects": {"lantaarn:client:police": {"type": "police"}},
                  "resources": {"thing:/": {"grant": ["READ"], "revoke": []},
                                "domain:/safety": {"grant": ["READ"], "revoke": []},
                                "zone:/": {"grant": ["READ"], "revoke": []}}}}}
                """);
        ThingPolicies policies = new ThingPolicies(folder, 0);
        assertThat(policies.readable(POLICE, NOISE)).contains(NOISE);
        assertThat(policies.readable(POLICE, LAMP)).isEmpty();
        assertThat(policies.readable(WIJKAPP, NOISE)).isEmpty();
    }
}
