package io.peftflow.trainer;

import io.peftflow.core.tuners.PeftMethods;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every registered method, created through the API with nothing but its type and a step budget, learns the
 * embedded model's task: the defaults (README, "Defaults") work. Exact match above the majority class's + 0.1 and
 * macro exact match above 1/k + 0.1; prompt tuning, which does not learn this frozen random model's task (peft-core's
 * MethodsLearnTest), at least matches the majority class.
 */
@QuarkusTest
class DefaultsLearnTest {
    private static final String TENANT = "defaults";
    static final int STEPS = 120;
    static final double MARGIN = 0.1;

    @Inject
    TestStack stack;

    @Test
    void everyMethodLearnsWithItsDefaults() {
        String dataset = TestStack.unique("auto");
        stack.known(TENANT, dataset, 1, 400, 100);
        Map<String, String> jobs = new LinkedHashMap<>();
        for (String method : PeftMethods.names()) {
            jobs.put(method, Api.post(TENANT, "/fine-tuning/jobs", """
                    {"dataset": "%s", "method": {"type": "%s"}, "training": {"max_steps": %d}, "seed": 3,
                     "adapter_name": "%s-%s"}""".formatted(dataset, method, STEPS, dataset, method.replace('_', '-')))
                    .then().statusCode(201).extract().path("id"));
        }
        List<String> failures = new ArrayList<>();
        for (var e : jobs.entrySet()) {
            JsonPath job = Api.awaitStatus(TENANT, e.getValue(), "trained", Duration.ofSeconds(600));
            assertEquals(STEPS, job.getInt("result.steps"));
            double tuned = job.getDouble("result.metrics.tuned.exact_match");
            double macro = job.getDouble("result.metrics.tuned.macro_exact_match");
            double majority = job.getDouble("result.metrics.majority.exact_match");
            int k = job.getInt("result.metrics.majority.labels");
            System.out.printf(Locale.ROOT, "defaults %s (lr %s, batch %d, %s): exact match %.3f (majority %.3f), "
                            + "macro %.3f (1/k %.3f), eval loss %.3f -> %.3f%n", e.getKey(),
                    job.getString("training.learning_rate"), job.getInt("training.batch_size"),
                    job.getString("method.hyperparameters"), tuned, majority, macro, 1.0 / k,
                    job.getDouble("result.metrics.base.eval_loss"), job.getDouble("result.metrics.tuned.eval_loss"));
            if (e.getKey().equals("prompt_tuning")) {
                if (tuned < majority) {
                    failures.add(e.getKey() + ": exact match " + tuned + " below the majority class " + majority);
                }
            } else if (!(tuned > majority + MARGIN && macro > 1.0 / k + MARGIN)) {
                failures.add(e.getKey() + ": exact match " + tuned + " (majority " + majority + "), macro " + macro
                        + " (1/k " + 1.0 / k + ")");
            }
        }
        assertTrue(failures.isEmpty(), String.join("; ", failures));
    }
}
