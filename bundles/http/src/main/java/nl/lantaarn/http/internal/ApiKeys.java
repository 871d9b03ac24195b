package nl.lantaarn.http.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;

/**
 * The API keys the hub accepts, held only as SHA-256 hashes, each with the client it identifies. A presented key is
 * hashed and compared with every configured hash in constant time, so neither the key nor a near match leaks through
 * timing. Immutable.
 */
final class ApiKeys {

    static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");
    /**
     * What an {@code apiKeyHashes} entry may do: everything, as before clients had roles, so that existing entries
     * keep working. {@code ./lantaarn clients add} makes clients with only the roles they need.
     */
    static final Set<Role> LEGACY_ROLES = Set.of(Role.ADMIN);
    static final String LEGACY_PURPOSE = "";

    /** One accepted key: the hash of the key and the client it identifies. */
    record Entry(byte[] hash, ApiClient client) {
    }

    private final List<Entry> entries;
    private final List<String> problems;

    private ApiKeys(List<Entry> entries, List<String> problems) {
        this.entries = entries;
        this.problems = problems;
    }

    static ApiKeys none() {
        return new ApiKeys(List.of(), List.of());
    }

    /** These keys and {@code more} (the problems of both). */
    ApiKeys plus(List<Entry> more) {
        List<Entry> all = new ArrayList<>(entries);
        all.addAll(more);
        return new ApiKeys(List.copyOf(all), problems);
    }

    /**
     * Parses {@code sha256:<hex>} or {@code <name>:sha256:<hex>} entries of {@code apiKeyHashes}; each client gets
     * {@link #LEGACY_ROLES}. An entry may hold several, separated by commas or white space, because a {@code .cfg}
     * file gives a list as one string. Malformed entries are left out and described in {@link #problems()}.
     */
    static ApiKeys parse(String[] entries) {
        List<Entry> parsed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int position = 0;
        for (String entry : entries == null ? new String[0] : entries) {
            for (String item : SEPARATORS.split(entry == null ? "" : entry.trim())) {
                if (item.isEmpty()) {
                    continue;
                }
                position++;
                int marker = item.lastIndexOf("sha256:");
                String hex = marker < 0 ? "" : item.substring(marker + "sha256:".length());
                String name = marker <= 0 ? "client-" + position : item.substring(0, marker - 1);
                boolean named = marker <= 0 || item.charAt(marker - 1) == ':';
                if (marker < 0 || !named || !HEX.matcher(hex).matches()) {
                    problems.add("apiKeyHashes entry " + position + " is not sha256:<64 hex digits> or "
                            + "<name>:sha256:<64 hex digits>; make one with: printf %s \"$KEY\" | sha256sum");
                    continue;
                }
                parsed.add(new Entry(HexFormat.of().parseHex(hex), new ApiClient(
                        name.isEmpty() ? "client-" + position : name, LEGACY_ROLES, LEGACY_PURPOSE)));
            }
        }
        return new ApiKeys(List.copyOf(parsed), List.copyOf(problems));
    }

    /** The client whose key this is; empty when the key is not configured. */
    Optional<ApiClient> client(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty() || entries.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = sha256(presentedKey);
        ApiClient found = null;
        // no early exit: the time taken does not depend on which entry (if any) matches
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.hash(), presented) && found == null) {
                found = entry.client();
            }
        }
        return Optional.ofNullable(found);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        return entries.size();
    }

    List<String> names() {
        return entries.stream().map(entry -> entry.client().name()).toList();
    }

    List<String> problems() {
        return problems;
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
