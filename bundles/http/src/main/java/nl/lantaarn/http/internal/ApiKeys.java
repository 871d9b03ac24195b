package nl.lantaarn.http.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API keys that may write, held only as SHA-256 hashes. A presented key is hashed and compared with every
 * configured hash in constant time, so neither the key nor a near match leaks through timing. Immutable.
 */
final class ApiKeys {

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");

    private final List<byte[]> hashes;
    private final List<String> names;
    private final List<String> problems;

    private ApiKeys(List<byte[]> hashes, List<String> names, List<String> problems) {
        this.hashes = hashes;
        this.names = names;
        this.problems = problems;
    }

    static ApiKeys none() {
        return new ApiKeys(List.of(), List.of(), List.of());
    }

    /**
     * Parses {@code sha256:<hex>} or {@code <name>:sha256:<hex>} entries. An entry may hold several, separated by
     * commas or white space, because a {@code .cfg} file gives a list as one string. Malformed entries are left out
     * and described in {@link #problems()}.
     */
    static ApiKeys parse(String[] entries) {
        List<byte[]> hashes = new ArrayList<>();
        List<String> names = new ArrayList<>();
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
                hashes.add(HexFormat.of().parseHex(hex));
                names.add(name.isEmpty() ? "client-" + position : name);
            }
        }
        return new ApiKeys(List.copyOf(hashes), List.copyOf(names), List.copyOf(problems));
    }

    /** The name of the client whose key this is; empty when the key is not configured. */
    Optional<String> client(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty() || hashes.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = sha256(presentedKey);
        int found = -1;
        // no early exit: the time taken does not depend on which entry (if any) matches
        for (int i = 0; i < hashes.size(); i++) {
            if (MessageDigest.isEqual(hashes.get(i), presented) && found < 0) {
                found = i;
            }
        }
        return found < 0 ? Optional.empty() : Optional.of(names.get(found));
    }

    boolean isEmpty() {
        return hashes.isEmpty();
    }

    int size() {
        return hashes.size();
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
