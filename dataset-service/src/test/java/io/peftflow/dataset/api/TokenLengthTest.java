package io.peftflow.dataset.api;

import io.peftflow.kit.storage.ObjectStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.peftflow.dataset.api.TestData.lines;
import static io.peftflow.dataset.api.TestData.qa;
import static io.peftflow.dataset.api.TestData.uniqueName;
import static io.peftflow.dataset.api.TestData.utf8;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Lengths in the base model's tokens, with a word-level tokenizer.json put in the models bucket. */
@QuarkusTest
class TokenLengthTest {
    /** Splits on words and punctuation: "what is item 12?" + "long answer" is 5 + 2 tokens. */
    private static final String TOKENIZER = """
            {"version":"1.0","truncation":null,"padding":null,"added_tokens":[],"normalizer":null,
             "pre_tokenizer":{"type":"Whitespace"},"post_processor":null,"decoder":null,
             "model":{"type":"WordLevel","vocab":{"[UNK]":0,"what":1,"is":2,"item":3},"unk_token":"[UNK]"}}""";

    @Inject
    ObjectStore store;

    @Test
    void lengthsAreCountedInTokensAndLimited() {
        String model = uniqueName("org/word-level");
        store.put("peftflow-models", model + "/tokenizer.json", utf8(TOKENIZER), "application/json");
        String body = lines(0, 20, i -> qa(i, i == 7 ? "a much longer answer than the others" : "long answer"));
        given().contentType("application/x-ndjson").body(utf8(body))
                .when().post("/datasets/{n}/versions?base_model=" + model, uniqueName("tok"))
                .then().statusCode(201).body("summary.lengthUnit", equalTo("tokens"))
                .body("summary.lengths.min", equalTo(7.0f)).body("summary.lengths.max", equalTo(12.0f));
        given().contentType("application/x-ndjson").body(utf8(body))
                .when().post("/datasets/{n}/versions?max_length=8&base_model=" + model, uniqueName("tok"))
                .then().statusCode(422).body("errors[0].line", equalTo(8))
                .body("errors[0].reason", equalTo("example is 12 tokens long, over max_length 8"));
    }

    @Test
    void unknownBaseModelIs422() {
        given().contentType("application/x-ndjson").body(utf8(lines(0, 20, i -> qa(i, "x"))))
                .when().post("/datasets/{n}/versions?base_model=no-such-model", uniqueName("tok"))
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("unknown base_model 'no-such-model'"));
    }
}
