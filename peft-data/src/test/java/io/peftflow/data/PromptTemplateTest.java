package io.peftflow.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PromptTemplateTest {

    @Test
    void alpacaTrainsOnTheResponseOnly() {
        Example example = new Example(ExampleFormat.INSTRUCTION,
                List.of(new Turn("user", "Classify: coffee 3.20"), new Turn("assistant", "food")), null);
        assertEquals(List.of(
                new PromptTemplate.Segment("### Instruction:\n", false),
                new PromptTemplate.Segment("Classify: coffee 3.20", false),
                new PromptTemplate.Segment("\n\n", false),
                new PromptTemplate.Segment("### Response:\n", false),
                new PromptTemplate.Segment("food", true)), PromptTemplate.ALPACA.render(example));
        assertEquals("### Instruction:\nClassify: coffee 3.20\n\n### Response:\n", PromptTemplate.ALPACA.renderPrompt(example));
    }

    @Test
    void chatMlTrainsEveryAssistantTurnAndItsEndMarker() {
        Example chat = new Example(ExampleFormat.CHAT, List.of(new Turn("system", "S"), new Turn("user", "U1"),
                new Turn("assistant", "A1"), new Turn("user", "U2"), new Turn("assistant", "A2")), null);
        String all = String.join("", PromptTemplate.CHATML.render(chat).stream().map(PromptTemplate.Segment::text).toList());
        String trained = String.join("", PromptTemplate.CHATML.render(chat).stream().filter(PromptTemplate.Segment::trained)
                .map(PromptTemplate.Segment::text).toList());
        assertEquals("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU1<|im_end|>\n<|im_start|>assistant\nA1<|im_end|>\n"
                + "<|im_start|>user\nU2<|im_end|>\n<|im_start|>assistant\nA2<|im_end|>\n", all);
        assertEquals("A1<|im_end|>\nA2<|im_end|>\n", trained);
        assertEquals("A2", chat.response());
        assertEquals(PromptTemplate.CHATML, PromptTemplate.defaultFor(ExampleFormat.CHAT));
    }
}
