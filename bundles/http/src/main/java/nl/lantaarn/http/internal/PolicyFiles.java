package nl.lantaarn.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.Label;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.PolicyEntry;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.Resource;
import org.eclipse.ditto.policies.model.Subject;

import nl.lantaarn.security.api.Role;

/**
 * Reads access policy files: Eclipse Ditto policy JSON ({@code policyId}, {@code entries} of subjects and resources
 * with grants and revokes), checked for what this hub understands, so a typo is refused with its place instead of
 * silently granting nothing.
 */
final class PolicyFiles {

    /** A policy file larger than this is refused before parsing. */
    static final long MAX_BYTES = 1024 * 1024;
    static final Set<String> RESOURCE_TYPES = Set.of("thing", "domain", "zone");
    static final Set<String> PERMISSIONS = Set.of("READ", "WRITE");

    /** One file's entries, or the reason it was refused. */
    record FileResult(String file, List<PolicyEntry> entries, String problem) {
    }

    private PolicyFiles() {
    }

    /** The {@code *.json} files of the folder, sorted by name; none when the folder does not exist. */
    static List<Path> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> listing = Files.list(folder)) {
            return listing.filter(file -> file.getFileName().toString().endsWith(".json") && Files.isRegularFile(file))
                    .sorted().toList();
        }
    }

    static FileResult read(Path file) {
        String name = file.getFileName().toString();
        try {
            if (Files.size(file) > MAX_BYTES) {
                return refused(name, "larger than " + MAX_BYTES + " bytes");
            }
            return parse(name, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return refused(name, "cannot be read: " + e.getMessage());
        }
    }

    /** The policy every hub has when its policies folder holds no file: readers read, writers write. */
    static FileResult builtInDefault() {
        try (InputStream in = PolicyFiles.class.getResourceAsStream("default-policy.json")) {
            if (in == null) {
                throw new IllegalStateException("default-policy.json is missing from the bundle");
            }
            FileResult result = parse("(built-in default)", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (result.problem() != null) {
                throw new IllegalStateException(result.problem());
            }
            return result;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in default policy", e);
        }
    }

    static FileResult parse(String name, String text) {
        JsonObject json;
        Policy policy;
        try {
            JsonValue value = JsonFactory.readFrom(text);
            if (!value.isObject()) {
                return refused(name, "is not a JSON object; write a Ditto policy: {\"policyId\": \"nl.lantaarn:<name>\", "
                        + "\"entries\": {...}}");
            }
            json = value.asObject();
            if (json.getValue("entries").filter(JsonValue::isObject).isEmpty()) {
                return refused(name, "has no 'entries' object; each entry has 'subjects' and 'resources'");
            }
            policy = PoliciesModelFactory.newPolicy(json);
        } catch (RuntimeException e) {
            return refused(name, "is not a valid Ditto policy: " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        List<PolicyEntry> entries = new ArrayList<>();
        String prefix = name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
        for (PolicyEntry entry : policy) {
            String where = "entry '" + entry.getLabel() + "'";
            for (Subject subject : entry.getSubjects()) {
                String id = subject.getId().toString();
                if (id.startsWith(AccessPolicy.SUBJECT_ROLE)) {
                    String role = id.substring(AccessPolicy.SUBJECT_ROLE.length());
                    if (Role.of(role).isEmpty()) {
                        problems.add(where + ": subject '" + id + "' names no role; the roles are " + Role.ids());
                    }
                } else if (!id.startsWith(AccessPolicy.SUBJECT_CLIENT)
                        || id.length() == AccessPolicy.SUBJECT_CLIENT.length()) {
                    problems.add(where + ": subject '" + id + "' is not lantaarn:client:<client name> or "
                            + "lantaarn:role:<role>");
                }
            }
            for (Resource resource : entry.getResources()) {
                String type = resource.getResourceKey().getResourceType();
                if (!RESOURCE_TYPES.contains(type)) {
                    problems.add(where + ": resource '" + resource.getResourceKey() + "' has type '" + type
                            + "'; the types are thing:/<path in the thing>, domain:/<domain> and zone:/<zone id>");
                }
                Set<String> used = new java.util.HashSet<>(resource.getEffectedPermissions().getGrantedPermissions());
                used.addAll(resource.getEffectedPermissions().getRevokedPermissions());
                used.removeAll(PERMISSIONS);
                if (!used.isEmpty()) {
                    problems.add(where + ": resource '" + resource.getResourceKey() + "' uses " + used
                            + "; the permissions are READ and WRITE");
                }
            }
            entries.add(PoliciesModelFactory.newPolicyEntry(Label.of(prefix + "." + entry.getLabel()),
                    entry.getSubjects(), entry.getResources()));
        }
        if (!problems.isEmpty()) {
            return refused(name, String.join("; ", problems));
        }
        return new FileResult(name, List.copyOf(entries), null);
    }

    /** One policy of every file's entries. */
    static Policy merge(List<FileResult> files) {
        List<PolicyEntry> entries = new ArrayList<>();
        files.forEach(file -> entries.addAll(file.entries()));
        return PoliciesModelFactory.newPolicy(PolicyId.of("nl.lantaarn", "access"), entries);
    }

    private static FileResult refused(String file, String problem) {
        return new FileResult(file, List.of(), file + " " + problem);
    }
}
