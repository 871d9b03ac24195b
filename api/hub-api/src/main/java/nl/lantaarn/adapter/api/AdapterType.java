package nl.lantaarn.adapter.api;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an adapter type is, for operators and the sensor register: id, vendor, domains, description and privacy
 * manifest. Immutable; build with {@link #builder(String)}.
 */
public final class AdapterType {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern DOMAIN = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    private final String id;
    private final String vendor;
    private final Set<String> domains;
    private final String description;
    private final PrivacyManifest privacy;
    private final boolean defaultInstance;

    private AdapterType(Builder builder) {
        this.id = builder.id;
        this.vendor = requireText(builder.vendor, "vendor");
        this.domains = Set.copyOf(builder.domains);
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("adapter type " + id + ": domains must name at least one domain");
        }
        for (String domain : domains) {
            if (!DOMAIN.matcher(domain).matches()) {
                throw new IllegalArgumentException("adapter type " + id + ": domain '" + domain
                        + "' must be lower-case letters, digits and dashes, e.g. safety");
            }
        }
        this.description = requireText(builder.description, "description");
        this.privacy = Objects.requireNonNull(builder.privacy, () -> "adapter type " + id + ": privacy manifest");
        this.defaultInstance = builder.defaultInstance;
    }

    /** @param id lower-case letters, digits and dashes, e.g. {@code ttn}; also the configuration PID suffix */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** The type id, e.g. {@code ttn}. Instances are configured by factory PID {@code nl.lantaarn.adapter.<id>}. */
    public String id() {
        return id;
    }

    public String vendor() {
        return vendor;
    }

    /** The domains its things belong to, e.g. {@code safety}, {@code crowd}. */
    public Set<String> domains() {
        return domains;
    }

    public String description() {
        return description;
    }

    public PrivacyManifest privacy() {
        return privacy;
    }

    /**
     * True when the hub runs an instance named {@code default} with an empty configuration as long as no
     * configuration for this type exists (adapters that work without settings).
     */
    public boolean defaultInstance() {
        return defaultInstance;
    }

    /** The factory PID of this type's configurations: {@code nl.lantaarn.adapter.<id>}. */
    public String factoryPid() {
        return "nl.lantaarn.adapter." + id;
    }

    @Override
    public String toString() {
        return "AdapterType[" + id + ", " + vendor + ", " + domains + "]";
    }

    private String requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("adapter type " + id + ": " + field + " must not be blank");
        }
        return value;
    }

    /** Builder of {@link AdapterType}. */
    public static final class Builder {
        private final String id;
        private String vendor;
        private Set<String> domains = Set.of();
        private String description;
        private PrivacyManifest privacy;
        private boolean defaultInstance;

        private Builder(String id) {
            if (id == null || !ID.matcher(id).matches()) {
                throw new IllegalArgumentException("adapter type id '" + id
                        + "' must be 1-63 lower-case letters, digits and dashes, starting with a letter or digit");
            }
            this.id = id;
        }

        public Builder vendor(String vendor) {
            this.vendor = vendor;
            return this;
        }

        public Builder domains(String... domains) {
            this.domains = Set.of(domains);
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder privacy(PrivacyManifest privacy) {
            this.privacy = privacy;
            return this;
        }

        /** Run a {@code default} instance with an empty configuration while no configuration exists. */
        public Builder defaultInstance(boolean defaultInstance) {
            this.defaultInstance = defaultInstance;
            return this;
        }

        /** @throws IllegalArgumentException naming the field that is missing or wrong */
        public AdapterType build() {
            return new AdapterType(this);
        }
    }
}
