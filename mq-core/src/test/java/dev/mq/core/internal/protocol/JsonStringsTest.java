package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonStringsTest {

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertThat(quote("plain")).isEqualTo("\"plain\"");
        assertThat(quote("")).isEqualTo("\"\"");
        assertThat(quote("a\"b")).isEqualTo("\"a\\\"b\"");
        assertThat(quote("a\\b")).isEqualTo("\"a\\\\b\"");
        assertThat(quote("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
        assertThat(quote("\u0000\u0001\u0002\u001f")).isEqualTo("\"\\u0000\\u0001\\u0002\\u001f\"");
        assertThat(quote("/\u007f\u00e9中")).isEqualTo("\"/\u007f\u00e9中\"");
    }

    @Test
    void everyControlCharacterRoundTripsThroughAParser() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            all.append(c);
        }
        String json = quote(all.toString());
        assertThat(ProtocolJson.MAPPER.readValue(json, String.class)).isEqualTo(all.toString());
    }

    @Test
    void appendsToWhatIsAlreadyThere() {
        StringBuilder sb = new StringBuilder("x:");
        assertThat(JsonStrings.appendQuoted(sb, "y")).isSameAs(sb);
        assertThat(sb).hasToString("x:\"y\"");
    }

    private static String quote(String s) {
        return JsonStrings.appendQuoted(new StringBuilder(), s).toString();
    }
}
