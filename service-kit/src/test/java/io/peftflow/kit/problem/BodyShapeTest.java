package io.peftflow.kit.problem;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BodyShapeTest {
    record Set(String dataset, int version) {
    }

    record Request(String model, List<String> inputs, @JsonProperty("evaluation_set") Set evaluationSet,
                   boolean stream) {
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[]                                   | body                   | expected an object",
            "\"x\"                                | body                   | expected an object",
            "{\"model\": []}                      | model                  | expected a string",
            "{\"inputs\": {}}                     | inputs                 | expected an array",
            "{\"inputs\": [[1]]}                  | inputs[0]              | expected a string",
            "{\"evaluation_set\": {\"version\": \"x\"}} | evaluation_set.version | expected a number",
            "{\"evaluation_set\": 3}              | evaluation_set         | expected an object",
            "{\"stream\": \"yes\"}                | stream                 | expected true or false"})
    void namesTheFieldAndTheKindExpected(String body, String field, String reason) {
        MismatchedInputException e = assertThrows(MismatchedInputException.class,
                () -> new ObjectMapper().readValue(body, Request.class));
        assertEquals(new FieldError(field, reason), BodyShape.of(e));
    }
}
