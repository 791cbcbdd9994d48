package io.peftflow.data;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainedSequenceTest {
    /** One id per character (its code point), BOS 1 and EOS 2. */
    private static final TextTokenizer CHARS = new TextTokenizer() {
        @Override
        public long[] encodeText(String text) {
            return text.chars().asLongStream().toArray();
        }

        @Override
        public Optional<Long> bosId() {
            return Optional.of(1L);
        }

        @Override
        public Optional<Long> eosId() {
            return Optional.of(2L);
        }
    };

    private static final Example QA = new Example(ExampleFormat.QUESTION_ANSWER,
            List.of(new Turn(Turn.USER, "Q?"), new Turn(Turn.ASSISTANT, " ok ")), " food ");

    @Test
    void bosThenContextAndTrainedRunsThenEos() {
        assertEquals(List.of(new TrainedSequence.Run("Question: Q?\nAnswer: ", false), new TrainedSequence.Run(" ok ", true)),
                TrainedSequence.runs(QA, PromptTemplate.QUESTION_ANSWER));
        TrainedSequence s = TrainedSequence.encode(QA, PromptTemplate.QUESTION_ANSWER, CHARS);
        String context = "Question: Q?\nAnswer: ";
        assertEquals(1 + context.length() + 4 + 1, s.length());
        assertEquals(s.length(), TrainedSequence.length(QA, PromptTemplate.QUESTION_ANSWER, CHARS));
        assertTrue(s.bos());
        assertEquals(1L, s.ids()[0]);
        assertEquals(2L, s.ids()[s.length() - 1]);
        assertFalse(s.trained()[0]);
        assertFalse(s.trained()[context.length()]);
        assertTrue(s.trained()[context.length() + 1]);
        assertTrue(s.trained()[s.length() - 1]);
        assertArrayEquals(" ok ".chars().asLongStream().toArray(),
                java.util.Arrays.copyOfRange(s.ids(), 1 + context.length(), 1 + context.length() + 4));
    }

    @Test
    void classLabelIsTheTrimmedLabelElseTheTrimmedResponse() {
        assertEquals("food", QA.classLabel());
        assertEquals("ok", new Example(QA.format(), QA.turns(), null).classLabel());
    }
}
