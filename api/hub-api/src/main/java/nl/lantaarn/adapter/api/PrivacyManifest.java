package nl.lantaarn.adapter.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an adapter type collects and on what terms, as the AVG (GDPR) asks: data categories, whether the data is
 * personal, the purpose, the legal ground, the retention, and the thing fields its mapped output may contain. The hub
 * publishes it in the sensor register; the adapter test kit checks that mapped output stays within
 * {@link #fields()}. Immutable; build with {@link #builder()}.
 * <p>
 * Purpose binding (since 2.3): {@link #purposes()} names the purpose ids (the hub's vocabulary in
 * {@code etc/nl.lantaarn.privacy.purposes.cfg}, e.g. {@code public-safety}) whose API clients and routes may use the
 * data when it is {@link #personalData() personal}. The hub serves and routes personal data only for those purposes;
 * {@link #purpose()} stays the text that explains why the data is collected.
 */
public final class PrivacyManifest {

    /** The legal grounds of AVG article 6(1). */
    public enum LegalGround {
        /** 6(1)(a) */
        CONSENT,
        /** 6(1)(b) */
        CONTRACT,
        /** 6(1)(c) */
        LEGAL_OBLIGATION,
        /** 6(1)(d) */
        VITAL_INTERESTS,
        /** 6(1)(e): the usual ground of a municipality's public-space tasks */
        PUBLIC_TASK,
        /** 6(1)(f) */
        LEGITIMATE_INTERESTS
    }

    private final Set<String> dataCategories;
    private final boolean personalData;
    private final String purpose;
    private final LegalGround legalGround;
    private final Duration retention;
    private final List<String> fields;
    private final Set<String> purposes;

    /** The form of a purpose id: lower-case letters, digits and dashes, e.g. {@code public-safety}. */
    private static final Pattern PURPOSE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private PrivacyManifest(Builder builder) {
        this.dataCategories = Set.copyOf(builder.dataCategories);
        if (dataCategories.isEmpty()) {
            throw new IllegalArgumentException("privacy manifest: dataCategories must name at least one category, "
                    + "e.g. sound-level");
        }
        this.personalData = builder.personalData;
        if (builder.purpose == null || builder.purpose.isBlank()) {
            throw new IllegalArgumentException("privacy manifest: purpose must say why the data is collected");
        }
        this.purpose = builder.purpose;
        this.legalGround = Objects.requireNonNull(builder.legalGround,
                "privacy manifest: legalGround must be set (AVG article 6(1))");
        if (builder.retention == null || builder.retention.isNegative() || builder.retention.isZero()) {
            throw new IllegalArgumentException("privacy manifest: retention must be a positive duration, was "
                    + builder.retention);
        }
        this.retention = builder.retention;
        this.fields = List.copyOf(builder.fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("privacy manifest: fields must list the thing fields the adapter "
                    + "writes, e.g. /features/noise/properties/laeq");
        }
        for (String field : fields) {
            if (!field.startsWith("/")) {
                throw new IllegalArgumentException("privacy manifest: field '" + field
                        + "' must be a JSON pointer into the thing, starting with '/'");
            }
        }
        this.purposes = Set.copyOf(builder.purposes);
        for (String id : purposes) {
            if (!PURPOSE_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("privacy manifest: purpose id '" + id + "' must be 1-63 lower-case "
                        + "letters, digits and dashes, e.g. public-safety");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Kinds of data collected, e.g. {@code sound-level}, {@code people-count}, {@code location}. */
    public Set<String> dataCategories() {
        return dataCategories;
    }

    /** Whether the data is personal data in the sense of the AVG (before the hub pseudonymises it). */
    public boolean personalData() {
        return personalData;
    }

    public String purpose() {
        return purpose;
    }

    /**
     * The purpose ids whose API clients and routes may use this data when it is {@link #personalData() personal},
     * e.g. {@code citizen-reports}. Empty (the default, and for every manifest built before 2.3): personal data is
     * served and routed for no purpose at all. Meaningless when the data is not personal: such data serves every
     * purpose.
     *
     * @since 2.3
     */
    public Set<String> purposes() {
        return purposes;
    }

    /**
     * Whether data under this manifest may be used for {@code purposeId}: always when it is not personal, else when
     * {@link #purposes()} holds it.
     *
     * @param purposeId a client's or route's purpose id; {@code null} or text that is not an id is never allowed
     * @since 2.3
     */
    public boolean allows(String purposeId) {
        return !personalData || (purposeId != null && purposes.contains(purposeId));
    }

    public LegalGround legalGround() {
        return legalGround;
    }

    /** How long the hub keeps history of this data. */
    public Duration retention() {
        return retention;
    }

    /**
     * JSON pointers of the thing fields the mapped output may contain. A pointer covers everything below it; a
     * segment {@code *} matches any one key, e.g. {@code /features/*}{@code /properties/laeq}.
     */
    public List<String> fields() {
        return fields;
    }

    /** Whether a leaf at {@code pointer} (e.g. {@code /features/noise/properties/laeq}) is declared. */
    public boolean declares(String pointer) {
        String[] leaf = split(pointer);
        for (String field : fields) {
            if (covers(split(field), leaf)) {
                return true;
            }
        }
        return false;
    }

    private static boolean covers(String[] declared, String[] leaf) {
        if (declared.length > leaf.length) {
            return false;
        }
        for (int i = 0; i < declared.length; i++) {
            if (!declared[i].equals("*") && !declared[i].equals(leaf[i])) {
                return false;
            }
        }
        return true;
    }

    private static String[] split(String pointer) {
        String trimmed = pointer.startsWith("/") ? pointer.substring(1) : pointer;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/");
    }

    @Override
    public String toString() {
        return "PrivacyManifest[" + dataCategories + ", personal " + personalData + ", " + legalGround + ", "
                + retention + ", purposes " + purposes + ", purpose: " + purpose + "]";
    }

    /** Builder of {@link PrivacyManifest}. */
    public static final class Builder {
        private Set<String> dataCategories = Set.of();
        private boolean personalData;
        private String purpose;
        private LegalGround legalGround;
        private Duration retention;
        private List<String> fields = List.of();
        private Set<String> purposes = Set.of();

        private Builder() {
        }

        public Builder dataCategories(String... categories) {
            this.dataCategories = Set.of(categories);
            return this;
        }

        public Builder personalData(boolean personalData) {
            this.personalData = personalData;
            return this;
        }

        public Builder purpose(String purpose) {
            this.purpose = purpose;
            return this;
        }

        public Builder legalGround(LegalGround legalGround) {
            this.legalGround = legalGround;
            return this;
        }

        public Builder retention(Duration retention) {
            this.retention = retention;
            return this;
        }

        /** JSON pointers of the fields the mapped output may contain; see {@link PrivacyManifest#fields()}. */
        public Builder fields(String... pointers) {
            this.fields = List.of(pointers);
            return this;
        }

        /**
         * The purpose ids that may use the data when it is personal; see {@link PrivacyManifest#purposes()}.
         *
         * @since 2.3
         */
        public Builder purposes(String... purposeIds) {
            this.purposes = Set.of(purposeIds);
            return this;
        }

        /** @throws IllegalArgumentException naming the field that is missing or wrong */
        public PrivacyManifest build() {
            return new PrivacyManifest(this);
        }
    }
}
