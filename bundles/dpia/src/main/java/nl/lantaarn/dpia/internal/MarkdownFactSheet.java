package nl.lantaarn.dpia.internal;

import java.util.List;

import nl.lantaarn.dpia.internal.FactSheet.Fact;
import nl.lantaarn.dpia.internal.FactSheet.Sheet;

/**
 * The fact sheet as CommonMark. Every value from the configuration is escaped (backslash before Markdown's
 * punctuation, line breaks folded), so a description or endpoint cannot add headings, links or HTML.
 */
final class MarkdownFactSheet {

    private MarkdownFactSheet() {
    }

    static String render(FactSheet sheet) {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(Texts.TITLE).append("\n\n");
        out.append(escape(Texts.generated(sheet))).append("\n\n");
        out.append("> ").append(escape(Texts.NOT_A_DPIA)).append("\n\n");
        out.append("## Contents\n\n");
        out.append("| Section | Personal data | Legal ground |\n|---|---|---|\n");
        for (Sheet s : concat(sheet.adapters(), sheet.routes())) {
            out.append("| ").append(escape(s.title())).append(" | ").append(short_(s, FactSheetGenerator.PERSONAL))
                    .append(" | ").append(short_(s, FactSheetGenerator.LEGAL_GROUND)).append(" |\n");
        }
        out.append('\n');
        if (!sheet.notes().isEmpty()) {
            out.append("## Notes\n\n");
            sheet.notes().forEach(note -> out.append("- ").append(escape(note)).append('\n'));
            out.append('\n');
        }
        out.append("## Adapters\n\n");
        if (sheet.adapters().isEmpty()) {
            out.append("No adapter is present or configured.\n\n");
        }
        sheet.adapters().forEach(s -> section(s, out));
        out.append("## Routes\n\n");
        if (sheet.routes().isEmpty()) {
            out.append("No route is loaded.\n\n");
        }
        sheet.routes().forEach(s -> section(s, out));
        out.append("---\n\n").append(escape(Texts.DERIVED)).append('\n');
        return out.toString();
    }

    private static List<Sheet> concat(List<Sheet> a, List<Sheet> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static String short_(Sheet sheet, String label) {
        return sheet.fact(label).filter(f -> !f.values().isEmpty())
                .map(f -> escape(f.values().get(0).split(":")[0])).orElse("not known");
    }

    private static void section(Sheet sheet, StringBuilder out) {
        out.append("### ").append(escape(sheet.title())).append("\n\n");
        if (sheet.summary() != null && !sheet.summary().isBlank()) {
            out.append(escape(sheet.summary())).append("\n\n");
        }
        for (Fact fact : sheet.facts()) {
            out.append("- **").append(escape(fact.label())).append("**: ");
            if (fact.values().isEmpty()) {
                out.append('*').append(escape(fact.missing())).append("*\n");
            } else if (fact.values().size() == 1) {
                out.append(escape(fact.values().get(0))).append('\n');
            } else {
                out.append('\n');
                fact.values().forEach(value -> out.append("  - ").append(escape(value)).append('\n'));
            }
        }
        out.append('\n');
    }

    /** Backslash-escapes the ASCII punctuation CommonMark gives a meaning; folds line breaks into spaces. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                out.append(' ');
            } else if (needsEscape(c)) {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The characters that can start or change Markdown syntax inside a line; others stay readable. */
    private static boolean needsEscape(char c) {
        return "\\`*_[]<>#|~!&".indexOf(c) >= 0;
    }
}
