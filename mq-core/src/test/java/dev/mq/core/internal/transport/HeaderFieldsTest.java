package dev.mq.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.testing.ForAll;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The decoded header's fields answer as the HashMap they replace would, small or past the scanned size. */
class HeaderFieldsTest {

    @Test
    void behavesAsAHashMapForAnySequenceOfFields() {
        ForAll.check("header fields as a map", 3_000, HeaderFieldsTest::randomFields, added -> {
            HeaderFields fields = new HeaderFields();
            Map<String, String> expected = new HashMap<>();
            for (String[] pair : added) {
                if (pair[1] != null && pair[1].matches("[1-9][0-9]{2,17}")) { // as the reader adds an offset
                    fields.addNumber(pair[0], Long.parseLong(pair[1]));
                } else {
                    fields.add(pair[0], pair[1]);
                }
                expected.put(pair[0], pair[1]);
            }
            assertThat(fields).isEqualTo(expected);
            assertThat(fields.hashCode()).isEqualTo(expected.hashCode());
            assertThat(fields.size()).isEqualTo(expected.size());
            for (int i = 0; i < 40; i++) {
                String name = "f" + i;
                assertThat(fields.get(name)).as(name).isEqualTo(expected.get(name));
                assertThat(fields.containsKey(name)).as(name).isEqualTo(expected.containsKey(name));
                assertThat(fields.longValue(name, -1)).as(name).isEqualTo(HeaderFields.parseLong(expected.get(name), -1));
            }
            assertThat(fields.get("missing")).isNull();
            assertThat(fields.get(null)).isNull();
            assertThat(new HashMap<>(fields)).isEqualTo(expected);
        });
    }

    @Test
    void aSendAnswersFieldsAreFoundByEqualNamesToo() {
        HeaderFields fields = new HeaderFields();
        fields.add("msgId", "C0A8000100002A9F0000000000000001");
        fields.add("queueId", "3");
        fields.add("queueOffset", "42");
        fields.add("MSG_REGION", "DefaultRegion");
        fields.add("TRACE_ON", "true");
        fields.add("queueId", "4"); // a later duplicate wins, as in a map
        assertThat(fields.get(new String("queueId".toCharArray()))).isEqualTo("4");
        assertThat(fields.get("queueOffset")).isEqualTo("42");
        assertThat(fields).hasSize(5);
    }

    /** Up to 40 adds of names f0..f39 (duplicates likely), values possibly null or offsets. */
    private static List<String[]> randomFields(Random r) {
        int n = r.nextInt(41);
        List<String[]> added = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(10);
            String value = kind == 0 ? null : kind < 4 ? Long.toString(100 + r.nextInt(1_000_000)) : "v" + i;
            added.add(new String[] {"f" + r.nextInt(r.nextBoolean() ? 8 : 40), value});
        }
        return added;
    }
}
