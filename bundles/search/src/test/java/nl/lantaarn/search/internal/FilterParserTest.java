package nl.lantaarn.search.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Ditto's parser in front, the hub's checks behind it: what a caller gets told. */
class FilterParserTest {

    @Test
    void compilesEveryOperator() {
        assertThat(FilterParser.parse(null)).isSameAs(Filter.ALL);
        assertThat(FilterParser.parse("  ")).isSameAs(Filter.ALL);
        assertThat(FilterParser.parse("and(eq(thingId,\"a:b\"),ne(attributes/x,1),gt(features/n/properties/v,1.5),"
                + "ge(_revision,1),lt(_modified,\"2027\"),le(attributes/y,2),in(attributes/zone,\"a\",\"b\"),"
                + "like(thingId,\"nl.*\"),exists(features/noise),or(not(eq(attributes/b,true)),eq(policyId,null)))"))
                .isInstanceOf(Filter.And.class);
        assertThat(FilterParser.parse("eq(/attributes/x,1)")).isInstanceOf(Filter.Compare.class);
        assertThat(FilterParser.parse("gt(features/*/properties/laeq,70)")).isInstanceOf(Filter.Compare.class);
    }

    @Test
    void syntaxErrorsNameThePosition() {
        assertThatThrownBy(() -> FilterParser.parse("gt(attributes/x,7O)"))
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("filter");
                    assertThat(e.position()).isEqualTo(18);
                    assertThat(e.getMessage()).startsWith("The filter is not valid RQL at position 18: Invalid input 'O'")
                            .endsWith("Filter: gt(attributes/x,7O)");
                });
        assertThatThrownBy(() -> FilterParser.parse("eq(thingId,"))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.position()).isEqualTo(12));
        assertThatThrownBy(() -> FilterParser.parse("foo(a,1)"))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.position()).isEqualTo(1));
        assertThatThrownBy(() -> FilterParser.parse("eq(attributes/x,1)x"))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.position()).isEqualTo(19));
    }

    @Test
    void refusesWhatCannotBeSearched() {
        assertThatThrownBy(() -> FilterParser.parse("eq(location,1)")).hasMessageContaining("'location' cannot be searched")
                .hasMessageContaining("attributes/...");
        assertThatThrownBy(() -> FilterParser.parse("eq(attributes//x,1)")).hasMessageContaining("empty path segment");
        assertThatThrownBy(() -> FilterParser.parse("eq(thingId/x,1)")).hasMessageContaining("has no sub-fields");
        assertThatThrownBy(() -> FilterParser.parse("eq(attributes/*,1)")).hasMessageContaining("* stands only for");
        assertThatThrownBy(() -> FilterParser.parse("like(thingId,3)")).hasMessageContaining("needs a string pattern");
        assertThatThrownBy(() -> FilterParser.parse("gt(attributes/x,null)")).hasMessageContaining("has no order");
        assertThatThrownBy(() -> FilterParser.parse("eq(attributes/x,time:now)"))
                .hasMessageContaining("placeholders are not supported");
        assertThatThrownBy(() -> FilterParser.parse("eq(attributes/x,\"" + "y".repeat(9000) + "\")"))
                .hasMessageContaining("the limit is 8192");
    }

    @Test
    void deepNestingIsABadRequestNotACrash() {
        String deep = "not(".repeat(1500) + "exists(thingId)" + ")".repeat(1500);
        try {
            assertThat(FilterParser.parse(deep)).isInstanceOf(Filter.Not.class);
        } catch (QueryException e) {
            // Ditto's parser reports its own stack overflow as a parser error; either way a 400
            assertThat(e.parameter()).isEqualTo("filter");
            assertThat(e.getMessage()).hasSizeLessThan(400);
        }
    }

    @Test
    void likePatterns() {
        assertThat(new Filter.LikePattern("nl.*").matches("nl.eindhoven")).isTrue();
        assertThat(new Filter.LikePattern("nl.*").matches("xnl.")).isFalse();
        assertThat(new Filter.LikePattern("*-7").matches("noise-7")).isTrue();
        assertThat(new Filter.LikePattern("*ois*").matches("noise-7")).isTrue();
        assertThat(new Filter.LikePattern("noise").matches("noise")).isTrue();
        assertThat(new Filter.LikePattern("noise").matches("noise2")).isFalse();
        assertThat(new Filter.LikePattern("n?ise-*7").matches("noise-17")).isTrue();
        assertThat(new Filter.LikePattern("n?ise-*7").matches("nise-17")).isFalse();
        assertThat(new Filter.LikePattern("a.b*").matches("axb")).isFalse();
        assertThat(new Filter.LikePattern("*").matches("")).isTrue();
    }
    /**
     * Regression: like was a regular expression ({@code .*a.*a...b}), whose backtracking over a long value took
     * exponential time: one request held a search thread (and the index's read lock) for good. Now it is answered at
     * once, with the same result.
     */
    @Test
    void likeWithManyWildcardsOverALongValueDoesNotBacktrack() {
        String value = "a".repeat(5000);
        assertThat(new Filter.LikePattern("*a".repeat(30) + "b").matches(value)).isFalse();
        assertThat(new Filter.LikePattern("*a".repeat(30) + "*").matches(value)).isTrue();
        assertThat(new Filter.LikePattern("*a?".repeat(30) + "b").matches(value)).isFalse();
        assertThat(new Filter.LikePattern("a*?*?*a").matches(value)).isTrue();
    }

    /** The wildcard matcher agrees with the regular expression it replaced, on every small case. */
    @Test
    void likeAgreesWithTheRegularExpressionItReplaced() {
        List<String> pieces = List.of("", "a", "b", "*", "?", "ab", "\ud83d\ude00", ".");
        List<String> values = List.of("", "a", "b", "ab", "ba", "aab", "abab", "a.b", "\ud83d\ude00", "a\ud83d\ude00b",
                "bbb", "aaaa");
        for (String p1 : pieces) {
            for (String p2 : pieces) {
                for (String p3 : pieces) {
                    String pattern = p1 + p2 + p3;
                    StringBuilder regex = new StringBuilder();
                    for (int c : pattern.codePoints().toArray()) {
                        regex.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(
                                new String(Character.toChars(c))));
                    }
                    java.util.regex.Pattern expected = java.util.regex.Pattern.compile(regex.toString(),
                            java.util.regex.Pattern.DOTALL);
                    for (String value : values) {
                        assertThat(new Filter.LikePattern(pattern).matches(value))
                                .as("like(%s) on %s", pattern, value)
                                .isEqualTo(expected.matcher(value).matches());
                    }
                }
            }
        }
    }
}
