package nl.lantaarn.register.internal;

import java.util.Locale;
import java.util.Map;

/** The page's words in Dutch (the default) and English. */
enum PageTexts {
    NL("nl", Map.ofEntries(
            Map.entry("title", "Sensorregister"),
            Map.entry("intro", "Welke sensoren in de openbare ruimte gegevens verzamelen, wat ze meten, waarom, "
                    + "en bij wie u terecht kunt met vragen."),
            Map.entry("count", "%d sensoren geregistreerd"),
            Map.entry("showing", "U ziet %d tot en met %d."),
            Map.entry("download", "Download als"),
            Map.entry("noArea", "Zonder vaste plek"),
            Map.entry("measures", "Meet"),
            Map.entry("goal", "Waarom"),
            Map.entry("legalGround", "Grondslag"),
            Map.entry("personalData", "Persoonsgegevens"),
            Map.entry("yes", "Ja"),
            Map.entry("no", "Nee"),
            Map.entry("who", "Verantwoordelijk"),
            Map.entry("contact", "Vragen?"),
            Map.entry("privacy", "Privacyverklaring"),
            Map.entry("activeUntil", "Actief tot en met"),
            Map.entry("active", "Actief"),
            Map.entry("inactive", "Niet meer actief"),
            Map.entry("regions", "Gebieden"),
            Map.entry("reference", "Kenmerk"),
            Map.entry("location", "Locatie"),
            Map.entry("mobile", "mobiel, geen vaste plek"),
            Map.entry("next", "Volgende"),
            Map.entry("previous", "Vorige"),
            Map.entry("none", "Er zijn geen sensoren geregistreerd."),
            Map.entry("otherLanguage", "English"),
            Map.entry("CONSENT", "Toestemming (AVG art. 6 lid 1a)"),
            Map.entry("CONTRACT", "Overeenkomst (AVG art. 6 lid 1b)"),
            Map.entry("LEGAL_OBLIGATION", "Wettelijke plicht (AVG art. 6 lid 1c)"),
            Map.entry("VITAL_INTERESTS", "Vitaal belang (AVG art. 6 lid 1d)"),
            Map.entry("PUBLIC_TASK", "Taak van algemeen belang (AVG art. 6 lid 1e)"),
            Map.entry("LEGITIMATE_INTERESTS", "Gerechtvaardigd belang (AVG art. 6 lid 1f)"))),
    EN("en", Map.ofEntries(
            Map.entry("title", "Sensor register"),
            Map.entry("intro", "Which sensors in public space collect data, what they measure, why, and whom to ask."),
            Map.entry("count", "%d sensors registered"),
            Map.entry("showing", "Showing %d to %d."),
            Map.entry("download", "Download as"),
            Map.entry("noArea", "No fixed place"),
            Map.entry("measures", "Measures"),
            Map.entry("goal", "Why"),
            Map.entry("legalGround", "Legal ground"),
            Map.entry("personalData", "Personal data"),
            Map.entry("yes", "Yes"),
            Map.entry("no", "No"),
            Map.entry("who", "Responsible"),
            Map.entry("contact", "Questions?"),
            Map.entry("privacy", "Privacy statement"),
            Map.entry("activeUntil", "Active until"),
            Map.entry("active", "Active"),
            Map.entry("inactive", "No longer active"),
            Map.entry("regions", "Regions"),
            Map.entry("reference", "Reference"),
            Map.entry("location", "Location"),
            Map.entry("mobile", "mobile, no fixed place"),
            Map.entry("next", "Next"),
            Map.entry("previous", "Previous"),
            Map.entry("none", "No sensors are registered."),
            Map.entry("otherLanguage", "Nederlands"),
            Map.entry("CONSENT", "Consent (GDPR art. 6(1)(a))"),
            Map.entry("CONTRACT", "Contract (GDPR art. 6(1)(b))"),
            Map.entry("LEGAL_OBLIGATION", "Legal obligation (GDPR art. 6(1)(c))"),
            Map.entry("VITAL_INTERESTS", "Vital interests (GDPR art. 6(1)(d))"),
            Map.entry("PUBLIC_TASK", "Public task (GDPR art. 6(1)(e))"),
            Map.entry("LEGITIMATE_INTERESTS", "Legitimate interests (GDPR art. 6(1)(f))")));

    final String code;
    private final Map<String, String> words;

    PageTexts(String code, Map<String, String> words) {
        this.code = code;
        this.words = words;
    }

    String get(String key) {
        String word = words.get(key);
        return word == null ? key : word;
    }

    String format(String key, Object... args) {
        return String.format(Locale.ROOT, get(key), args);
    }

    PageTexts other() {
        return this == NL ? EN : NL;
    }

    /**
     * The language: {@code lang} ({@code nl} or {@code en}) when given, else the first of those two in
     * {@code Accept-Language} by weight, else Dutch.
     *
     * @throws IllegalArgumentException for another {@code lang}
     */
    static PageTexts choose(String lang, String acceptLanguage) {
        if (lang != null) {
            for (PageTexts texts : values()) {
                if (texts.code.equals(lang)) {
                    return texts;
                }
            }
            throw new IllegalArgumentException("lang must be nl or en, was '" + lang + "'");
        }
        if (acceptLanguage != null) {
            try {
                for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
                    String tag = range.getRange().toLowerCase(Locale.ROOT);
                    if (tag.startsWith("nl")) {
                        return NL;
                    }
                    if (tag.startsWith("en")) {
                        return EN;
                    }
                }
            } catch (IllegalArgumentException e) {
                // a malformed header is no reason to refuse a page: Dutch then
            }
        }
        return NL;
    }
}
