package io.peftflow.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * The adapter the inference tests call, trained once per test JVM through the API: version 1 of {@link #ADAPTER} on
 * dataset {@link #DATASET}, made champion, owned by {@link #owner()}'s tenant; {@link #stranger()} is another tenant.
 */
final class ServedAdapter {
    static final String DATASET = "tx";
    static final String ADAPTER = "tx-lora";
    static final Set<String> LABELS = Set.of("groceries", "transport", "dining");
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static Keys.Key owner;
    private static Keys.Key stranger;
    private static boolean secondVersionTrained;

    private ServedAdapter() {
    }

    static synchronized Keys.Key owner() {
        if (owner == null) {
            Keys.Key key = Keys.create("inf-" + RUN);
            stranger = Keys.create("other-" + RUN);
            given().header("Authorization", key.bearer()).contentType("application/x-ndjson")
                    .body(Samples.transactions(60).getBytes(StandardCharsets.UTF_8))
                    .when().post("/v1/datasets/" + DATASET + "/versions?balance=oversample&on_invalid=drop")
                    .then().statusCode(201);
            Training.awaitSucceeded(key, Training.startJob(key, DATASET, ADAPTER));
            Training.awaitVersion(key, ADAPTER, 1);
            // A first version becomes champion only if it beats the majority class; a 30-step run may not.
            champion(key, 1);
            owner = key;
        }
        return owner;
    }

    static synchronized Keys.Key stranger() {
        owner();
        return stranger;
    }

    /** Version 2, trained once for the tests that need two versions: another rank and other targets than v1's. */
    static synchronized void secondVersion() {
        if (secondVersionTrained) {
            return;
        }
        Keys.Key key = owner();
        Training.awaitSucceeded(key, Training.startJob(key, """
                {"dataset": "%s", "model": "tiny-llama",
                 "method": {"type": "lora", "hyperparameters": {"r": 8, "lora_alpha": 16,
                            "target_modules": ["q_proj", "k_proj", "o_proj"]}},
                 "training": {"max_steps": 30, "batch_size": 4, "learning_rate": 0.01},
                 "seed": 11, "adapter_name": "%s"}""".formatted(DATASET, ADAPTER)));
        Training.awaitVersion(key, ADAPTER, 2);
        secondVersionTrained = true;
    }

    static void champion(Keys.Key key, int version) {
        given().header("Authorization", key.bearer()).contentType("application/json")
                .body(Map.of("version", version, "reason", "inference test"))
                .when().put("/v1/adapters/" + ADAPTER + "/aliases/champion").then().statusCode(200);
    }
}
