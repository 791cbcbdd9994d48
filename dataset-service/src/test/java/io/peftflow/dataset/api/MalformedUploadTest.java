package io.peftflow.dataset.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.stream.Stream;

import static io.peftflow.dataset.api.TestData.gzip;
import static io.peftflow.dataset.api.TestData.lines;
import static io.peftflow.dataset.api.TestData.qa;
import static io.peftflow.dataset.api.TestData.utf8;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The malformed-file corpus: each file is answered 4xx as problem+json naming the offending line and why, and
 * leaves nothing in PostgreSQL or S3. Every file has enough good lines that only the defect can reject it.
 */
@QuarkusTest
class MalformedUploadTest {
    private static final String TENANT = "acme";
    private static final String GOOD = lines(0, 12, i -> qa(i, "yes"));

    @Inject
    Stored stored;

    /** name, body, expected status, expected first error line (0: none), expected reason or detail fragment. */
    static Stream<Arguments> corpus() {
        return Stream.of(
                Arguments.of("broken-json", utf8(GOOD + "{\"question\":\"q\",\"answer\":\n" + GOOD), 422, 13, "malformed JSON"),
                Arguments.of("wrong-type", utf8(GOOD + "{\"question\":42,\"answer\":\"a\"}\n"), 422, 13, "field 'question' must be a string, got a number"),
                Arguments.of("empty-field", utf8("{\"question\":\"q\",\"answer\":\"\"}\n" + GOOD), 422, 1, "field 'answer' is empty"),
                Arguments.of("chat-without-assistant", utf8(lines(0, 12, TestData::chat)
                        + "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}\n"), 422, 13, "messages have no assistant turn"),
                Arguments.of("mixed-formats", utf8(GOOD + "{\"prompt\":\"p\",\"completion\":\"c\"}\n"), 422, 13,
                        "format prompt_completion differs from the file's format question_answer (detected on line 1)"),
                Arguments.of("invalid-utf8", invalidUtf8(), 422, 13, "invalid UTF-8"),
                Arguments.of("lone-surrogate", utf8(GOOD + qa(99, "caf\\ud800") + "\n"), 422, 13,
                        "field 'answer' holds invalid Unicode: a lone surrogate \\uD800 at character 4"),
                Arguments.of("noncharacter", utf8(GOOD + qa(99, "x\\uffff") + "\n"), 422, 13,
                        "field 'answer' holds invalid Unicode: the noncharacter U+FFFF at character 2"),
                Arguments.of("trailing-user-turn-rejected", utf8(lines(0, 12, TestData::chat)
                        + "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"yo\"},"
                        + "{\"role\":\"user\",\"content\":\"and?\"}]}\n"), 422, 13,
                        "chat ends on a user turn, which is never trained (on_trailing_turn=reject)"),
                Arguments.of("crlf", utf8((GOOD + "{oops}\n").replace("\n", "\r\n")), 422, 13, "malformed JSON"),
                Arguments.of("bom", utf8("\uFEFF" + GOOD + "[1]\n"), 422, 13, "not a JSON object"),
                Arguments.of("blank-lines", utf8(GOOD + "\n  \n" + GOOD), 422, 13, "blank line"),
                Arguments.of("overlong-line", utf8(GOOD + qa(99, "y".repeat(5000)) + "\n"), 422, 13, "line longer than the limit of 4096 bytes"),
                Arguments.of("duplicate-keys", utf8(GOOD + "{\"question\":\"a\",\"answer\":\"b\",\"answer\":\"c\"}\n"), 422, 13, "duplicate key 'answer'"),
                Arguments.of("deep-nesting", utf8(GOOD + "{\"question\":\"a\",\"answer\":\"b\",\"meta\":" + "[".repeat(40) + "]".repeat(40) + "}\n"),
                        422, 13, "nested deeper than 16 levels"),
                Arguments.of("empty-file", new byte[0], 422, 0, "the file is empty"),
                Arguments.of("too-few-examples", utf8(lines(0, 5, i -> qa(i, "y"))), 422, 0, "only 5 valid examples"),
                Arguments.of("gzip-bomb", gzip(new byte[20 << 20]), 422, 0, "a decompression bomb?"),
                Arguments.of("corrupt-gzip", corruptGzip(), 422, 0, "corrupt or truncated gzip"),
                Arguments.of("over-size", utf8(lines(0, 60_000, i -> qa(i, "yes"))), 413, 0, "upload larger than the limit of 2097152 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void rejectedWithLineLevelReasonsAndNothingStored(String name, byte[] body, int status, int line, String reason) {
        String dataset = TestData.uniqueName(name);
        ValidatableResponse response = given().header("X-Tenant", TENANT).contentType("application/x-ndjson").body(body)
                .when().post("/datasets/{name}/versions?on_trailing_turn=reject", dataset)
                .then().statusCode(status).contentType("application/problem+json").body("status", equalTo(status));
        if (line > 0) {
            response.body("errors[0].line", equalTo(line)).body("errors[0].reason", containsString(reason))
                    .body("detail", containsString(" lines are invalid (on_invalid=reject)"));
        } else {
            response.body("detail", containsString(reason));
        }
        assertNothingStored(dataset);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void sameAnswerAsMultipart(String name, byte[] body, int status, int line, String reason) {
        String dataset = TestData.uniqueName(name);
        given().header("X-Tenant", TENANT).multiPart("file", name + ".jsonl", body, "application/x-ndjson")
                .when().post("/datasets/{name}/versions?on_trailing_turn=reject", dataset)
                .then().statusCode(status).contentType("application/problem+json");
        assertNothingStored(dataset);
    }

    /** Without a Content-Length (chunked), the limit is enforced while the body streams in. */
    @Test
    void overSizeChunkedBodyIs413() {
        String dataset = TestData.uniqueName("chunked");
        given().header("X-Tenant", TENANT).contentType("application/x-ndjson")
                .body(new ByteArrayInputStream(utf8(lines(0, 60_000, i -> qa(i, "yes")))))
                .when().post("/datasets/{name}/versions", dataset)
                .then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("upload larger than the limit"));
        assertNothingStored(dataset);
    }

    private void assertNothingStored(String dataset) {
        assertEquals(0, stored.rows(TENANT, dataset), "rows in PostgreSQL");
        assertEquals(List.of(), stored.objects(TENANT, dataset, 1), "objects in S3");
    }

    private static byte[] invalidUtf8() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(GOOD + "{\"question\":\"caf"));
        out.writeBytes(new byte[]{(byte) 0xC3, (byte) 0x28});
        out.writeBytes(utf8("\",\"answer\":\"a\"}\n"));
        return out.toByteArray();
    }

    private static byte[] corruptGzip() {
        byte[] gz = gzip(utf8(GOOD));
        for (int i = 12; i < gz.length - 8; i++) {
            gz[i] ^= 0x5A;
        }
        return gz;
    }
}
