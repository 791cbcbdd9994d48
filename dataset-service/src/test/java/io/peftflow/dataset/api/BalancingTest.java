package io.peftflow.dataset.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.peftflow.dataset.api.TestData.labelled;
import static io.peftflow.dataset.api.TestData.lines;
import static io.peftflow.dataset.api.TestData.qa;
import static io.peftflow.dataset.api.TestData.uniqueName;
import static io.peftflow.dataset.api.TestData.utf8;
import static io.peftflow.dataset.api.UploadApiTest.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class BalancingTest {
    private static final String TENANT = "bank";
    /** 300 "food" and 30 "travel" transactions: a 91/9 split, imbalanced by the seed's definition. */
    private static final String IMBALANCED = lines(0, 300, i -> labelled(i, "food")) + lines(300, 330, i -> labelled(i, "travel"));

    private static String split(String name, int version, String split) {
        return given().header("X-Tenant", TENANT).when().get("/datasets/{n}/versions/{v}/splits/{s}", name, version, split)
                .then().statusCode(200).extract().asString();
    }

    private static Map<String, Long> countByLabel(String jsonl) {
        return jsonl.lines().collect(Collectors.groupingBy(l -> l.contains("\"food\"") ? "food" : "travel", Collectors.counting()));
    }

    @Test
    void oversamplingGivesExactSeededCountsAndLeavesValidationAlone() {
        String name = uniqueName("over");
        JsonPath v = upload(TENANT, name, IMBALANCED, "?balance=oversample&seed=7&validation_fraction=0.2");
        long food = v.getLong("summary.labels.food.trainBeforeBalancing");
        long travel = v.getLong("summary.labels.travel.trainBeforeBalancing");
        long foodValidation = v.getLong("summary.labels.food.validation");
        long travelValidation = v.getLong("summary.labels.travel.validation");
        assertEquals(330, food + travel + foodValidation + travelValidation);
        assertEquals(food, v.getLong("summary.labels.travel.train"), "travel oversampled to food's count");
        assertEquals(2 * food, v.getLong("trainExamples"));
        assertEquals(Map.of("food", food, "travel", food), countByLabel(split(name, 1, "train")));
        assertEquals(Map.of("food", foodValidation, "travel", travelValidation), countByLabel(split(name, 1, "validation")));
        assertTrue(v.getBoolean("summary.imbalance.imbalanced"));

        // Same data, same seed: the same train split, byte for byte.
        JsonPath again = upload(TENANT, name, IMBALANCED, "?balance=oversample&seed=7");
        assertEquals(v.getString("sha256.train"), again.getString("sha256.train"));
        // Another seed picks other examples (undersampling always draws; oversampling only for the remainder).
        JsonPath seven = upload(TENANT, name, IMBALANCED, "?balance=undersample&seed=7");
        JsonPath eight = upload(TENANT, name, IMBALANCED, "?balance=undersample&seed=8");
        assertNotEquals(seven.getString("sha256.train"), eight.getString("sha256.train"));
        assertEquals(v.getString("sha256.validation"), eight.getString("sha256.validation"));
    }

    @Test
    void undersamplingAndClassWeights() {
        String name = uniqueName("under");
        JsonPath v = upload(TENANT, name, IMBALANCED, "?balance=undersample&seed=1");
        long travel = v.getLong("summary.labels.travel.trainBeforeBalancing");
        assertEquals(Map.of("food", travel, "travel", travel), countByLabel(split(name, 1, "train")));

        JsonPath w = upload(TENANT, name, IMBALANCED, "?balance=class_weights");
        long food = w.getLong("summary.labels.food.train");
        long t = w.getLong("summary.labels.travel.train");
        assertEquals(food + t, w.getLong("trainExamples"), "class weights do not resample");
        assertEquals((double) (food + t) / (2 * t), w.getDouble("summary.classWeights.travel"), 1e-6);
    }

    @Test
    void noValidationExampleIsEverInTrainAcrossVersions() {
        String name = uniqueName("stable");
        upload(TENANT, name, lines(0, 200, i -> qa(i, "a" + i)), "?validation_fraction=0.3&seed=5");
        upload(TENANT, name, lines(100, 300, i -> qa(i, "a" + i)), "?seed=6");
        // Near-duplicates of v1's examples (case, punctuation) land in the same split as the originals.
        upload(TENANT, name, lines(0, 100, i -> qa(i, "a" + i).replace("what is", "WHAT IS").replace("?", "!")), "");
        Set<String> train = new HashSet<>();
        Set<String> validation = new HashSet<>();
        for (int version = 1; version <= 3; version++) {
            split(name, version, "train").lines().map(BalancingTest::normalise).forEach(train::add);
            split(name, version, "validation").lines().map(BalancingTest::normalise).forEach(validation::add);
        }
        assertFalse(validation.isEmpty());
        Set<String> leaked = new HashSet<>(validation);
        leaked.retainAll(train);
        assertEquals(Set.of(), leaked);
    }

    @Test
    void theSplitFractionIsFixedByTheFirstVersion() {
        String name = uniqueName("frac");
        upload(TENANT, name, lines(0, 20, i -> qa(i, "x" + i)), "?validation_fraction=0.2");
        given().header("X-Tenant", TENANT).contentType("application/x-ndjson").body(utf8(lines(0, 20, i -> qa(i, "x" + i))))
                .when().post("/datasets/{n}/versions?validation_fraction=0.3", name)
                .then().statusCode(422).body("detail", containsString("fixed by its first version"));
    }

    @Test
    void resamplingUnlabelledDataIsRejected() {
        given().contentType("application/x-ndjson").body(utf8(lines(0, 30, i -> qa(i, "a long free-text answer number " + i))))
                .when().post("/datasets/{n}/versions?balance=oversample", uniqueName("nolabel"))
                .then().statusCode(422).body("detail", containsString("needs a label on every example"));
    }

    private static String normalise(String line) {
        return line.toLowerCase().replaceAll("[^a-z0-9]+", " ");
    }
}
