package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import jakarta.servlet.http.HttpServletRequest;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Authenticator;
import nl.lantaarn.security.api.Role;

/**
 * The servlets take the client the gate found from the request instead of checking the key again (a SHA-256 and a
 * scan of every key per request, on the path of every read), and still check it themselves without the gate.
 */
class AuthenticationTest {

    private static final String KEY = "ltn_authentication-test";
    private final AtomicInteger checks = new AtomicInteger();
    private final ApiKeyAuthenticator keys = TestClients.authenticator(TestClients.client("app", "reader", KEY));
    private final Authenticator counting = (authorization, apiKey) -> {
        checks.incrementAndGet();
        return keys.authenticate(authorization, apiKey);
    };
    private final Authentication authentication = new Authentication(counting);

    @Test
    void takesTheClientTheGateFoundWithoutCheckingTheKeyAgain() {
        ApiClient found = new ApiClient("app", Set.of(Role.READER), "tests");
        HttpServletRequest request = request(Optional.of(found));

        Verdict verdict = authentication.verdict(request);

        assertThat(verdict).isEqualTo(new Verdict.Accepted(found));
        assertThat(checks).hasValue(0);
    }

    @Test
    void checksTheKeyItselfWithoutTheGate() {
        Verdict verdict = authentication.verdict(request(null));

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Accepted.class,
                accepted -> assertThat(accepted.client().name()).isEqualTo("app"));
        assertThat(checks).hasValue(1);
    }

    @Test
    void asksAgainWhenTheGateFoundNoClientToLearnWhy() {
        Verdict verdict = authentication.verdict(request(Optional.empty()));

        // the key is known to the authenticator here: only its own answer counts, not the gate's empty one
        assertThat(verdict).isInstanceOf(Verdict.Accepted.class);
        assertThat(checks).hasValue(1);
    }

    /** A request with the key as bearer token and, unless null, the gate's attribute. */
    private static HttpServletRequest request(Optional<ApiClient> fromGate) {
        Map<String, Object> attributes = new HashMap<>();
        if (fromGate != null) {
            attributes.put(Authentication.CLIENT_ATTRIBUTE, fromGate);
        }
        return (HttpServletRequest) Proxy.newProxyInstance(AuthenticationTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "getHeader" -> "Authorization".equalsIgnoreCase((String) args[0]) ? "Bearer " + KEY : null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
