package nl.lantaarn.register.internal;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

import nl.lantaarn.things.model.SensorRegister;

/** The register as one plain HTML page: the sensors of one page of the register, grouped by area. */
final class RegisterPage {

    private RegisterPage() {
    }

    /**
     * @param base    the register's path, e.g. {@code /register}
     * @param heading the page's heading under the title, e.g. the municipality; empty for none
     * @param offset  where this page starts in the whole register
     * @param limit   sensors per page
     */
    static String render(List<RegisterEntry> page, int matched, int offset, int limit, PageTexts t, String base,
            String heading) {
        StringBuilder html = new StringBuilder(2048 + 1024 * page.size());
        String title = t.get("title") + (heading.isEmpty() ? "" : " " + heading);
        html.append("<!DOCTYPE html>\n<html lang=\"").append(t.code).append("\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(escape(title)).append("</title>\n<link rel=\"stylesheet\" href=\"").append(escape(base))
                .append("/register.css\">\n<link rel=\"alternate\" type=\"application/geo+json\" href=\"")
                .append(escape(base)).append(".geojson\">\n</head>\n<body>\n<header>\n<div class=\"wrap\">\n")
                .append("<p class=\"lang\"><a href=\"").append(escape(base)).append("?lang=").append(t.other().code)
                .append("\" hreflang=\"").append(t.other().code).append("\" lang=\"").append(t.other().code)
                .append("\">").append(escape(t.get("otherLanguage"))).append("</a></p>\n<h1>")
                .append(escape(title)).append("</h1>\n<p class=\"intro\">").append(escape(t.get("intro")))
                .append("</p>\n<p class=\"summary\"><strong id=\"count\">").append(escape(t.format("count", matched)))
                .append("</strong>");
        if (!page.isEmpty()) {
            html.append(" · ").append(escape(t.format("showing", offset + 1, offset + page.size())));
        }
        html.append(" · ").append(escape(t.get("download"))).append(" <a href=\"").append(escape(base))
                .append(".geojson\" type=\"application/geo+json\">GeoJSON</a> <a href=\"").append(escape(base))
                .append(".csv\" type=\"text/csv\">CSV</a></p>\n</div>\n</header>\n<main class=\"wrap\">\n");
        if (page.isEmpty()) {
            html.append("<p class=\"none\">").append(escape(t.get("none"))).append("</p>\n");
        }
        String currentArea = null;
        boolean open = false;
        for (int i = 0; i < page.size(); i++) {
            RegisterEntry entry = page.get(i);
            String area = entry.areaName() == null ? t.get("noArea") : entry.areaName();
            if (!open || !Objects.equals(area, currentArea)) {
                if (open) {
                    html.append("</ul>\n</section>\n");
                }
                currentArea = area;
                open = true;
                int inArea = countFrom(page, i, entry.areaName());
                html.append("<section class=\"area\">\n<h2>").append(escape(area)).append(" <span class=\"n\">(")
                        .append(inArea).append(")</span></h2>\n<ul class=\"sensors\">\n");
            }
            sensor(html, entry, t);
        }
        if (open) {
            html.append("</ul>\n</section>\n");
        }
        pages(html, matched, offset, limit, t, base);
        html.append("</main>\n</body>\n</html>\n");
        return html.toString();
    }

    private static int countFrom(List<RegisterEntry> page, int from, String areaName) {
        int count = 0;
        for (int i = from; i < page.size() && Objects.equals(page.get(i).areaName(), areaName); i++) {
            count++;
        }
        return count;
    }

    private static void sensor(StringBuilder html, RegisterEntry entry, PageTexts t) {
        html.append("<li class=\"sensor").append(entry.active() ? "" : " inactive").append("\" data-thing=\"")
                .append(escape(entry.thingId())).append("\">\n<h3>")
                .append(escape(entry.text(SensorRegister.SENSOR_TYPE))).append(" <span class=\"badge ")
                .append(entry.active() ? "on" : "off").append("\">")
                .append(escape(t.get(entry.active() ? "active" : "inactive"))).append("</span></h3>\n<dl>\n");
        String measures = entry.measures().stream().map(RegisterEntry.Measure::label).collect(Collectors.joining(", "));
        if (!measures.isEmpty()) {
            row(html, t.get("measures"), escape(measures));
        }
        row(html, t.get("goal"), escape(entry.text(SensorRegister.GOAL)));
        String ground = entry.text(SensorRegister.LEGAL_GROUND);
        if (ground != null) {
            row(html, t.get("legalGround"), escape(t.get(ground)));
        }
        row(html, t.get("personalData"), escape(t.get(entry.containsPersonalData() ? "yes" : "no")));
        row(html, t.get("who"), escape(entry.text(SensorRegister.ORGANISATION)));
        StringBuilder contact = new StringBuilder();
        String name = entry.contact("name");
        String email = entry.contact("email");
        String url = entry.contact("url");
        if (name != null) {
            contact.append(escape(name));
        }
        if (email != null) {
            contact.append(contact.isEmpty() ? "" : ", ").append("<a href=\"mailto:").append(escape(email))
                    .append("\">").append(escape(email)).append("</a>");
        }
        if (url != null) {
            contact.append(contact.isEmpty() ? "" : ", ").append(link(url, url));
        }
        row(html, t.get("contact"), contact.toString());
        String statement = entry.text(SensorRegister.PRIVACY_STATEMENT);
        if (statement != null) {
            row(html, t.get("privacy"), link(statement, statement));
        }
        String until = entry.text(SensorRegister.ACTIVE_UNTIL);
        String shown = SensorRegister.parseDate(until)
                .map(date -> date.format(DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.forLanguageTag(t.code))))
                .orElse(until);
        row(html, t.get("activeUntil"), "<time datetime=\"" + escape(until) + "\">" + escape(shown) + "</time>");
        if (!entry.regions().isEmpty()) {
            row(html, t.get("regions"), escape(String.join(", ", entry.regions())));
        }
        row(html, t.get("location"), entry.longitude() == null ? escape(t.get("mobile"))
                : String.format(Locale.ROOT, "%.5f, %.5f", entry.latitude(), entry.longitude()));
        String reference = entry.text(SensorRegister.REFERENCE);
        if (reference != null && !reference.isBlank()) {
            row(html, t.get("reference"), escape(reference));
        }
        html.append("</dl>\n<p class=\"id\">").append(escape(entry.thingId())).append("</p>\n</li>\n");
    }

    private static void row(StringBuilder html, String term, String escapedValue) {
        html.append("<dt>").append(escape(term)).append("</dt><dd>").append(escapedValue).append("</dd>\n");
    }

    /** Only http(s) addresses become links (the register's validation allows no others); anything else is text. */
    private static String link(String href, String text) {
        if (!href.startsWith("https://") && !href.startsWith("http://")) {
            return escape(text);
        }
        return "<a href=\"" + escape(href) + "\" rel=\"noopener noreferrer\">" + escape(text) + "</a>";
    }

    private static void pages(StringBuilder html, int matched, int offset, int limit, PageTexts t, String base) {
        boolean previous = offset > 0;
        boolean next = offset + limit < matched;
        if (!previous && !next) {
            return;
        }
        html.append("<nav class=\"pages\">\n");
        if (previous) {
            html.append("<a rel=\"prev\" href=\"").append(escape(base + "?lang=" + t.code + "&offset="
                    + Math.max(0, offset - limit) + "&limit=" + limit)).append("\">")
                    .append(escape(t.get("previous"))).append("</a>\n");
        }
        if (next) {
            html.append("<a rel=\"next\" href=\"").append(escape(base + "?lang=" + t.code + "&offset="
                    + (offset + limit) + "&limit=" + limit)).append("\">").append(escape(t.get("next")))
                    .append("</a>\n");
        }
        html.append("</nav>\n");
    }

    /** Text for HTML content and quoted attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (replacement != null) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(replacement);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
