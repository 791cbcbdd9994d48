package io.peftflow.dataset.api;

import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.data.EncodedDataset;
import io.peftflow.core.data.OverLongPolicy;
import io.peftflow.core.data.SequenceEncoder;
import io.peftflow.data.Example;
import io.peftflow.data.JsonlReader;
import io.peftflow.data.ParsedLine;
import io.peftflow.data.ParserLimits;
import io.peftflow.kit.storage.ObjectStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.peftflow.dataset.api.TestData.lines;
import static io.peftflow.dataset.api.TestData.qa;
import static io.peftflow.dataset.api.TestData.uniqueName;
import static io.peftflow.dataset.api.TestData.utf8;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Lengths are trained lengths: the base model's tokens over the templated text with BOS and EOS, exactly as
 * peft-core's encoder feeds the model. The model is a word-level tokenizer with its checkpoint files.
 */
@QuarkusTest
class TokenLengthTest {
    /** Splits on words and punctuation; BOS {@code <s>}, EOS {@code </s>}. */
    private static final String TOKENIZER = """
            {"version":"1.0","truncation":null,"padding":null,
             "added_tokens":[{"id":1,"content":"<s>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true},
                             {"id":2,"content":"</s>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}],
             "normalizer":null,"pre_tokenizer":{"type":"Whitespace"},"post_processor":null,"decoder":null,
             "model":{"type":"WordLevel","vocab":{"[UNK]":0,"<s>":1,"</s>":2,"what":3,"is":4,"item":5},"unk_token":"[UNK]"}}""";
    private static final String TOKENIZER_CONFIG = "{\"bos_token\":\"<s>\",\"eos_token\":\"</s>\"}";
    /** Enough for peft-core to read the checkpoint's tokenizer; the weights are never loaded. */
    private static final String CONFIG = """
            {"architectures":["LlamaForCausalLM"],"model_type":"llama","vocab_size":64,"hidden_size":8,
             "intermediate_size":16,"num_hidden_layers":1,"num_attention_heads":2,"num_key_value_heads":2,
             "max_position_embeddings":64,"bos_token_id":1,"eos_token_id":2}""";

    @Inject
    ObjectStore store;

    /** "Question: what is item 7?\nAnswer: " is 9 tokens, BOS and EOS 2 more: "long answer" makes 13. */
    @Test
    void lengthsAreTrainedTokensWithTemplateBosAndEos() {
        String model = putModel("org/word-level");
        String body = lines(0, 20, i -> qa(i, i == 7 ? "a much longer answer than the others" : "long answer"));
        given().contentType("application/x-ndjson").body(utf8(body))
                .when().post("/datasets/{n}/versions?base_model=" + model, uniqueName("tok"))
                .then().statusCode(201).body("summary.lengthUnit", equalTo("tokens"))
                .body("summary.lengthTemplate", equalTo("question-answer"))
                .body("summary.lengthMeasure", containsString("BOS and EOS included"))
                .body("summary.lengths.min", equalTo(13.0f)).body("summary.lengths.max", equalTo(18.0f));
        given().contentType("application/x-ndjson").body(utf8(body))
                .when().post("/datasets/{n}/versions?max_length=13&base_model=" + model, uniqueName("tok"))
                .then().statusCode(422).body("errors[0].line", equalTo(8))
                .body("errors[0].reason", equalTo("example is 18 tokens long as trained (question-answer template,"
                        + " BOS and EOS included), over max_length 13"));
    }

    /**
     * The acceptance case: an example one token over max_length is dropped, one at max_length is kept, and the
     * trainer's encoder takes every accepted example at that context without truncating.
     */
    @Test
    void acceptedExamplesFitTheTrainersEncoderAtMaxLength(@TempDir Path checkpoint) throws IOException {
        String model = putModel("org/word-level");
        Files.writeString(checkpoint.resolve("tokenizer.json"), TOKENIZER);
        Files.writeString(checkpoint.resolve("tokenizer_config.json"), TOKENIZER_CONFIG);
        Files.writeString(checkpoint.resolve("config.json"), CONFIG);
        String name = uniqueName("fit");
        String body = lines(0, 30, i -> qa(i, i == 4 ? "one word over" : "long answer"));
        given().contentType("application/x-ndjson").body(utf8(body))
                .when().post("/datasets/{n}/versions?on_invalid=drop&max_length=13&validation_fraction=0.2&base_model=" + model, name)
                .then().statusCode(201).body("droppedLines[0].line", equalTo(5))
                .body("droppedLines[0].reason", containsString("14 tokens long as trained"))
                .body("summary.lengths.max", equalTo(13.0f));
        List<Example> accepted = new ArrayList<>();
        for (String split : List.of("train", "validation")) {
            accepted.addAll(parse(given().when().get("/datasets/{n}/versions/1/splits/" + split, name).then()
                    .statusCode(200).extract().asByteArray()));
        }
        assertEquals(29, accepted.size());
        try (Tokenizer tokenizer = Tokenizer.load(checkpoint)) {
            SequenceEncoder encoder = new SequenceEncoder(tokenizer, null, 13, OverLongPolicy.FAIL, false);
            EncodedDataset encoded = encoder.encode(accepted);
            assertEquals(0, encoded.truncated());
            assertEquals(29, encoded.size());
            assertEquals(13L * 29, encoded.tokens());
            List<Example> over = parse(utf8(qa(4, "one word over") + "\n"));
            assertThrows(RuntimeException.class, () -> encoder.encode(over), "the dropped example does not fit");
        }
    }

    @Test
    void unknownBaseModelIs422() {
        given().contentType("application/x-ndjson").body(utf8(lines(0, 20, i -> qa(i, "x"))))
                .when().post("/datasets/{n}/versions?base_model=no-such-model", uniqueName("tok"))
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("unknown base_model 'no-such-model'"));
    }

    @Test
    void baseModelWithoutEosIs422() {
        String model = uniqueName("org/no-eos");
        store.put("peftflow-models", model + "/tokenizer.json", utf8(TOKENIZER), "application/json");
        given().contentType("application/x-ndjson").body(utf8(lines(0, 20, i -> qa(i, "x"))))
                .when().post("/datasets/{n}/versions?base_model=" + model, uniqueName("tok"))
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("declares no EOS token"));
    }

    private String putModel(String prefix) {
        String model = uniqueName(prefix);
        store.put("peftflow-models", model + "/tokenizer.json", utf8(TOKENIZER), "application/json");
        store.put("peftflow-models", model + "/tokenizer_config.json", utf8(TOKENIZER_CONFIG), "application/json");
        store.put("peftflow-models", model + "/config.json", utf8(CONFIG), "application/json");
        return model;
    }

    private static List<Example> parse(byte[] jsonl) throws IOException {
        List<Example> out = new ArrayList<>();
        try (JsonlReader reader = new JsonlReader(new ByteArrayInputStream(jsonl), ParserLimits.DEFAULT)) {
            for (ParsedLine line; (line = reader.next()) != null; ) {
                out.add(((ParsedLine.Valid) line).example());
            }
        }
        return out;
    }
}
