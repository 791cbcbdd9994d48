package io.peftflow.data.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peftflow.data.ExampleFormat;
import io.peftflow.data.JsonlReader;
import io.peftflow.data.ParsedLine;
import io.peftflow.data.ParserLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransactionDatasetTest {

    @Test
    void seededImbalancedAndParseable() throws IOException {
        String a = TransactionDataset.jsonl(2000, 7);
        assertEquals(a, TransactionDataset.jsonl(2000, 7), "same seed, same lines");
        assertNotEquals(a, TransactionDataset.jsonl(2000, 8));
        java.util.List<TransactionDataset.Transaction> generated = TransactionDataset.generate(2000, 7);
        Map<String, Integer> counts = new HashMap<>();
        try (JsonlReader r = new JsonlReader(new ByteArrayInputStream(a.getBytes(StandardCharsets.UTF_8)),
                ParserLimits.DEFAULT)) {
            for (ParsedLine line; (line = r.next()) != null; ) {
                ParsedLine.Valid v = assertInstanceOf(ParsedLine.Valid.class, line);
                assertEquals(generated.get((int) v.line() - 1).toExample(), v.example(), "toExample = parsed line");
                counts.merge(v.example().response().trim(), 1, Integer::sum);
            }
            assertEquals(ExampleFormat.PROMPT_COMPLETION, r.format());
        }
        assertEquals(TransactionDataset.CATEGORIES.size(), counts.size(), "every category occurs: " + counts);
        int head = counts.get("groceries") + counts.get("dining") + counts.get("transport");
        assertTrue(head > 1700 && head < 1900, "head classes ~90%: " + counts);
        assertTrue(counts.get("travel") < 50, "rarest ~1%: " + counts);
    }
}
