package nl.lantaarn.dpia.internal;

import nl.lantaarn.dpia.internal.FactSheet.Fact;
import nl.lantaarn.dpia.internal.FactSheet.Sheet;

/**
 * The fact sheet as one self-contained HTML page for printing (A4, a page per part, no script, no external resource).
 * Every value from the configuration is HTML-escaped.
 */
final class HtmlFactSheet {

    private static final String STYLE = """
            body { font-family: "Helvetica Neue", Arial, sans-serif; font-size: 11pt; line-height: 1.4; color: #111;
                   max-width: 52em; margin: 2em auto; padding: 0 1em; }
            h1 { font-size: 20pt; margin-bottom: 0.2em; }
            h2 { font-size: 15pt; border-bottom: 1px solid #888; margin-top: 1.6em; }
            h3 { font-size: 12.5pt; margin: 1.2em 0 0.3em; }
            .generated { color: #444; }
            .notice { border-left: 4px solid #555; padding: 0.4em 0.8em; background: #f3f3f3; }
            table { border-collapse: collapse; width: 100%; margin: 0.4em 0 1em; }
            th, td { border: 1px solid #bbb; padding: 0.25em 0.5em; vertical-align: top; text-align: left; }
            th { width: 11em; background: #f3f3f3; font-weight: 600; }
            td ul { margin: 0; padding-left: 1.1em; }
            .missing { font-style: italic; color: #555; }
            code, .value { overflow-wrap: anywhere; }
            section.sheet { break-inside: avoid-page; }
            @page { size: A4; margin: 18mm 16mm 20mm; }
            @media print {
              body { margin: 0; max-width: none; font-size: 10pt; }
              h2 { break-before: page; }
              h2.first { break-before: auto; }
              a { color: inherit; text-decoration: none; }
              th { background: none; }
            }
            """;

    private HtmlFactSheet() {
    }

    static String render(FactSheet sheet) {
        StringBuilder out = new StringBuilder(16_384);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Texts.TITLE).append("</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n");
        out.append("<h1>").append(Texts.TITLE).append("</h1>\n");
        out.append("<p class=\"generated\">").append(escape(Texts.generated(sheet))).append("</p>\n");
        out.append("<p class=\"notice\">").append(escape(Texts.NOT_A_DPIA)).append("</p>\n");
        out.append("<h2 class=\"first\">Contents</h2>\n<table>\n<thead><tr><th>Section</th><th>Personal data</th>")
                .append("<th>Legal ground</th></tr></thead>\n<tbody>\n");
        for (Sheet s : java.util.stream.Stream.concat(sheet.adapters().stream(), sheet.routes().stream()).toList()) {
            out.append("<tr><td><a href=\"#").append(escape(Texts.anchor(s.anchor()))).append("\">")
                    .append(escape(s.title())).append("</a></td><td>").append(short_(s, FactSheetGenerator.PERSONAL))
                    .append("</td><td>").append(short_(s, FactSheetGenerator.LEGAL_GROUND)).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
        if (!sheet.notes().isEmpty()) {
            out.append("<h3>Notes</h3>\n<ul>\n");
            sheet.notes().forEach(note -> out.append("<li>").append(escape(note)).append("</li>\n"));
            out.append("</ul>\n");
        }
        out.append("<h2>Adapters</h2>\n");
        if (sheet.adapters().isEmpty()) {
            out.append("<p>No adapter is present or configured.</p>\n");
        }
        sheet.adapters().forEach(s -> section(s, out));
        out.append("<h2>Routes</h2>\n");
        if (sheet.routes().isEmpty()) {
            out.append("<p>No route is loaded.</p>\n");
        }
        sheet.routes().forEach(s -> section(s, out));
        out.append("<hr>\n<p class=\"generated\">").append(escape(Texts.DERIVED)).append("</p>\n");
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private static String short_(Sheet sheet, String label) {
        return sheet.fact(label).filter(f -> !f.values().isEmpty())
                .map(f -> escape(f.values().get(0).split(":")[0])).orElse("not known");
    }

    private static void section(Sheet sheet, StringBuilder out) {
        out.append("<section class=\"sheet\" id=\"").append(escape(Texts.anchor(sheet.anchor()))).append("\">\n");
        out.append("<h3>").append(escape(sheet.title())).append("</h3>\n");
        if (sheet.summary() != null && !sheet.summary().isBlank()) {
            out.append("<p>").append(escape(sheet.summary())).append("</p>\n");
        }
        out.append("<table>\n<tbody>\n");
        for (Fact fact : sheet.facts()) {
            out.append("<tr><th scope=\"row\">").append(escape(fact.label())).append("</th><td>");
            if (fact.values().isEmpty()) {
                out.append("<span class=\"missing\">").append(escape(fact.missing())).append("</span>");
            } else if (fact.values().size() == 1) {
                out.append("<span class=\"value\">").append(escape(fact.values().get(0))).append("</span>");
            } else {
                out.append("<ul>");
                fact.values().forEach(v -> out.append("<li class=\"value\">").append(escape(v)).append("</li>"));
                out.append("</ul>");
            }
            out.append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n</section>\n");
    }

    /** The five characters HTML gives a meaning in text and attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
