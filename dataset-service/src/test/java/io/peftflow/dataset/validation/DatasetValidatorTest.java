package io.peftflow.dataset.validation;

import io.peftflow.data.Example;
import io.peftflow.data.ExampleParser;
import io.peftflow.data.ParsedLine;
import io.peftflow.data.ParserLimits;
import io.peftflow.dataset.balancing.BalanceStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetValidatorTest {
    static final ValidationLimits LIMITS = new ValidationLimits(new ParserLimits(4096, 16), 10, 1000, 20, 1000, 20, 64,
            9, 10, 100);

    @TempDir
    Path tmp;

    private ValidatedUpload run(String jsonl, boolean drop, BalanceStrategy balance) throws Exception {
        return run(jsonl, drop, false, balance);
    }

    private ValidatedUpload run(String jsonl, boolean drop, boolean rejectTrailing, BalanceStrategy balance) throws Exception {
        ValidationOptions options = new ValidationOptions(drop, rejectTrailing, balance, 0.2, 5, 11, null, LengthCounter.CHARACTERS);
        return new DatasetValidator(LIMITS, options, new ExampleParser(LIMITS.parser()))
                .run(new ByteArrayInputStream(jsonl.getBytes(StandardCharsets.UTF_8)), tmp);
    }

    static String qa(int i, String label) {
        return "{\"question\":\"what is item " + i + "?\",\"answer\":\"" + label + "\"}\n";
    }

    @Test
    void splitsBalancesAndCountsExactly() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 900; i++) {
            sb.append(qa(i, "food"));
        }
        for (int i = 900; i < 1000; i++) {
            sb.append(qa(i, "travel"));
        }
        try (ValidatedUpload up = run(sb.toString(), false, BalanceStrategy.OVERSAMPLE)) {
            Map<String, LabelSplit> labels = up.labels();
            long foodTrain = labels.get("food").trainBeforeBalancing();
            assertEquals(foodTrain, labels.get("food").train());
            assertEquals(foodTrain, labels.get("travel").train(), "travel oversampled to food's count");
            assertEquals(1000, labels.get("food").trainBeforeBalancing() + labels.get("food").validation()
                    + labels.get("travel").trainBeforeBalancing() + labels.get("travel").validation());
            assertEquals(2 * foodTrain, Files.readAllLines(up.train()).size());
            long validation = Files.readAllLines(up.validation()).size();
            assertEquals(up.counts().validation(), validation);
            assertTrue(validation > 140 && validation < 260, "about 20%: " + validation);
            Set<String> train = new HashSet<>(Files.readAllLines(up.train()));
            for (String line : Files.readAllLines(up.validation())) {
                assertFalse(train.contains(line), "validation line also in train: " + line);
            }
            assertEquals("response", up.summary().get("labelSource"));
            assertTrue(((List<?>) up.summary().get("warnings")).stream().anyMatch(w -> w.toString().contains("imbalanced")));
        }
    }

    static String chat(int i, String lastRole) {
        return "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi " + i
                + "\"},{\"role\":\"assistant\",\"content\":\"Hello " + i + "\"}"
                + (lastRole == null ? "" : ",{\"role\":\"" + lastRole + "\",\"content\":\"More " + i + "\"}") + "]}\n";
    }

    @Test
    void chatsEndingOnAPromptAreCountedInAWarningOrRejected() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sb.append(chat(i, i % 5 == 0 ? "user" : i == 7 ? "system" : null));
        }
        try (ValidatedUpload up = run(sb.toString(), false, BalanceStrategy.NONE)) {
            assertEquals(20L, up.counts().valid());
            assertEquals(5L, up.summary().get("trailingTurnExamples"));
            assertTrue(((List<?>) up.summary().get("warnings")).contains("5 chat examples end on a user or system turn;"
                    + " nothing after their last assistant turn is trained (on_trailing_turn=reject refuses them)"));
        }
        ValidationRejected rejected = assertThrows(ValidationRejected.class,
                () -> run(sb.toString(), false, true, BalanceStrategy.NONE));
        assertEquals(List.of(1L, 6L, 8L, 11L, 16L), rejected.errors().stream().map(LineError::line).toList());
        assertEquals("chat ends on a system turn, which is never trained (on_trailing_turn=reject)", rejected.errors().get(2).reason());
        try (ValidatedUpload up = run(sb.toString(), true, true, BalanceStrategy.NONE)) {
            assertEquals(15L, up.counts().valid());
            assertEquals(5L, up.counts().invalid());
            assertEquals(0L, up.summary().get("trailingTurnExamples"));
        }
    }

    @Test
    void lengthIsTheTemplatedText() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 10; i < 30; i++) {
            sb.append(qa(i, "ab"));
        }
        try (ValidatedUpload up = run(sb.toString(), false, BalanceStrategy.NONE)) {
            // "Question: what is item 10?\nAnswer: ab": the question-answer template's text, no special tokens
            assertEquals(Map.of("min", 37.0, "max", 37.0, "mean", 37.0, "p50", 37.0, "p95", 37.0), up.lengths());
            assertEquals("question-answer", up.summary().get("lengthTemplate"));
        }
    }

    @Test
    void duplicatesAreDroppedAndNearDuplicatesReported() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sb.append(qa(i, "a"));
        }
        sb.append(qa(3, "a"));                                                    // the same line again
        sb.append("{\"answer\":\"a\",\"question\":\"what is item 3?\"}\n");   // same content, other key order
        sb.append("{\"question\":\"What is ITEM 4\",\"answer\":\"a!\"}\n");  // case and punctuation only
        try (ValidatedUpload up = run(sb.toString(), false, BalanceStrategy.NONE)) {
            assertEquals(1, up.counts().duplicates());
            assertEquals(2, up.counts().nearDuplicates());
            assertEquals(22, up.counts().train() + up.counts().validation());
            assertEquals(List.of(21L), up.summary().get("duplicateLines"));
            assertEquals(List.of(22L, 23L), up.summary().get("nearDuplicateLines"));
        }
    }

    @Test
    void rejectModeFailsOnTheFirstBadLineButReportsTheFirstFew() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            sb.append(i % 10 == 3 ? "{broken\n" : qa(i, "x"));
        }
        ValidationRejected e = assertThrows(ValidationRejected.class, () -> run(sb.toString(), false, BalanceStrategy.NONE));
        assertEquals("3 of 30 lines are invalid (on_invalid=reject)", e.getMessage());
        assertEquals(List.of(4L, 14L, 24L), e.errors().stream().map(LineError::line).toList());
        assertEquals(0, tmp.toFile().list().length, "nothing left on disk");
    }

    @Test
    void dropModeKeepsTheRestAndSpillsEveryError() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            sb.append(i % 10 == 3 ? "{broken\n" : qa(i, "x"));
        }
        try (ValidatedUpload up = run(sb.toString(), true, BalanceStrategy.NONE)) {
            assertEquals(27, up.counts().train() + up.counts().validation());
            assertEquals(3, up.firstErrors().size());
            String spill = Files.readString(up.errors());
            assertTrue(spill.startsWith("{\"line\":4,"), spill);
            assertEquals(3, spill.split("\\},\\{").length);
        }
    }

    @Test
    void tooFewExamplesOrUnlabelledBalancingAreRejected() {
        ValidationRejected few = assertThrows(ValidationRejected.class, () -> run(qa(1, "a") + qa(2, "b"), false, BalanceStrategy.NONE));
        assertEquals("only 2 valid examples in 2 lines; at least 10 are needed", few.getMessage());
        ValidationRejected empty = assertThrows(ValidationRejected.class, () -> run("", false, BalanceStrategy.NONE));
        assertEquals("the file is empty; at least 10 are needed", empty.getMessage());

        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            sb.append(qa(i, "answer number " + i));
        }
        ValidationRejected unlabelled = assertThrows(ValidationRejected.class, () -> run(sb.toString(), false, BalanceStrategy.UNDERSAMPLE));
        assertTrue(unlabelled.getMessage().startsWith("balance=undersample needs a label"), unlabelled.getMessage());
    }

    @Test
    void nearHashIgnoresCaseSpacingAndPunctuationButNotWords() {
        assertEquals(ContentHash.near(example("{\"question\":\"Hi there\",\"answer\":\"x\"}")),
                ContentHash.near(example("{\"answer\":\"X!\", \"question\":\"hi,   THERE\",\"label\":\"l\"}")));
        assertNotEquals(ContentHash.near(example("{\"question\":\"Hi there\",\"answer\":\"x\"}")),
                ContentHash.near(example("{\"question\":\"Hit here\",\"answer\":\"x\"}")));
        byte[] line = "{\"question\":\"Hi there\",\"answer\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        byte[] other = "{\"question\":\"Hi there\",\"answer\":\"y\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(ContentHash.line(line, 0, line.length), ContentHash.line(line.clone(), 0, line.length));
        assertNotEquals(ContentHash.line(line, 0, line.length), ContentHash.line(other, 0, other.length));
        assertNotEquals(ContentHash.line(line, 0, line.length - 1), ContentHash.line(line, 0, line.length));
    }

    @Test
    void duplicateIndexTellsExactFromNear() {
        DuplicateIndex index = new DuplicateIndex();
        for (long i = 0; i < 100_000; i++) {
            assertEquals(DuplicateIndex.Seen.NEW, index.add(i * 0x9E3779B97F4A7C15L, i));
        }
        assertEquals(DuplicateIndex.Seen.EXACT_DUPLICATE, index.add(0, 0));
        assertEquals(DuplicateIndex.Seen.NEAR_DUPLICATE, index.add(0, 1));
        assertEquals(DuplicateIndex.Seen.EXACT_DUPLICATE, index.add(0, 1));
        assertEquals(DuplicateIndex.Seen.EXACT_DUPLICATE, index.add(99_999 * 0x9E3779B97F4A7C15L, 99_999));
        assertEquals(100_001, index.size());
    }

    private static Example example(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return ((ParsedLine.Valid) new ExampleParser(ParserLimits.DEFAULT).parse(1, bytes, 0, bytes.length)).example();
    }
}
