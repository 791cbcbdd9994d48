package io.peftflow.core.tuners.lora;

import static io.peftflow.core.tuners.TunerTesting.fixtureArgs;
import static io.peftflow.core.tuners.TunerTesting.floats;
import static io.peftflow.core.tuners.TunerTesting.maxAbsDiff;
import static io.peftflow.core.tuners.TunerTesting.randomize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.Fixtures;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.ForwardArgs;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.nn.Linear;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.planner.Planner;
import io.peftflow.core.safetensors.SafetensorsFile;
import io.peftflow.core.safetensors.SafetensorsWriter;
import io.peftflow.core.tuners.AdapterFiles;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoraTest {
    static final String LLAMA = "llama_gqa_tied";

    @TempDir
    Path tmp;

    static List<String> names(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** PEFT's get_nb_trainable_parameters for r=4 on each fixture (recorded by make_fixtures.py), and the planner. */
    @ParameterizedTest
    @ValueSource(strings = {"llama_gqa_tied", "llama3_untied_sharded", "qwen2_bias", "mistral_sliding", "gpt2"})
    void trainableCountsEqualPeftAndPlanner(String fixture) {
        JsonNode want = Fixtures.expected(fixture).get("lora");
        List<String> targets = names(want.get("target_modules"));
        LoraConfig config = new LoraConfig(want.get("r").asInt(), 8, TargetModules.of(targets));
        try (CausalLM model = Models.load(Fixtures.dir(fixture), LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            peft.add("default", config, 1);
            assertEquals(want.get("trainable").asLong(), peft.trainableParameterCount(), fixture);
            assertEquals(want.get("total").asLong(), peft.parameterCount(), fixture);
            assertEquals(want.get("trainable").asLong(), config.trainableParameters(model));
            assertEquals(want.get("trainable").asLong(), Planner.plan(Fixtures.dir(fixture).resolve("config.json"),
                    config, 1, 8, DataType.FLOAT32).trainableParameters());
            long t = want.get("trainable").asLong();
            long all = want.get("total").asLong();
            assertEquals(String.format(java.util.Locale.ROOT,
                    "trainable params: %,d || all params: %,d || trainable%%: %.4f", t, all, 100.0 * t / all),
                    peft.trainableParametersReport());
            System.out.println(fixture + ": " + peft.trainableParametersReport());
        }
    }

    @Test
    void initIsPeftsAndSeededAndLeavesLogitsUnchanged() {
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu())) {
            float[] before = floats(model.manager(), s -> model.forward(fixtureArgs(LLAMA, s)));
            PeftModel peft = new PeftModel(model);
            LoraAdapter a = (LoraAdapter) peft.add("a", new LoraConfig(4, 8, TargetModules.of("q_proj", "v_proj")), 7);
            assertEquals(List.of("model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj",
                    "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"), a.targetNames());
            Parameter loraA = model.namedParameters().get("model.layers.0.self_attn.q_proj.lora_A.a.weight");
            Parameter loraB = model.namedParameters().get("model.layers.0.self_attn.q_proj.lora_B.a.weight");
            assertNotNull(loraA, "PEFT's in-model name");
            float[] av = loraA.array().toFloatArray();
            double bound = 1 / Math.sqrt(64);
            double max = 0;
            for (float v : av) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max <= bound && max > 0.9 * bound, "uniform(+-1/sqrt(in)): max " + max);
            assertEquals(0f, loraB.array().abs().max().getFloat());
            assertEquals(4 * 64, av.length);
            assertTrue(loraA.isTrainable() && !model.namedParameters().get("model.layers.0.self_attn.q_proj.weight")
                    .isTrainable());
            LoraAdapter same = (LoraAdapter) peft.add("b", new LoraConfig(4, 8, TargetModules.of("q_proj", "v_proj")),
                    7);
            assertEquals(0f, model.namedParameters().get("model.layers.0.self_attn.q_proj.lora_A.b.weight").array()
                    .sub(loraA.array().duplicate()).abs().max().getFloat(), "same seed and target, same values: " + same);
            float[] after = floats(model.manager(), s -> peft.forward(fixtureArgs(LLAMA, s)));
            assertEquals(0, maxAbsDiff(before, after), "B = 0: the adapter changes nothing");
        }
    }

    @Test
    void scalingAndDropout() {
        assertEquals(2.0, new LoraConfig(4, 8, TargetModules.of("q_proj")).scaling());
        assertEquals(4.0, new LoraConfig(4, 8, TargetModules.of("q_proj")).withRslora(true).scaling());
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            LoraAdapter a = (LoraAdapter) peft.add("d", new LoraConfig(4, 8, TargetModules.of("q_proj"))
                    .withDropout(0.5), 3);
            a.parameters().values().forEach(p -> randomize(p, model.manager(), 5, 0.3));
            float[] eval1 = floats(model.manager(), s -> peft.forward(fixtureArgs(LLAMA, s)));
            float[] eval2 = floats(model.manager(), s -> peft.forward(fixtureArgs(LLAMA, s)));
            assertEquals(0, maxAbsDiff(eval1, eval2), "no dropout outside training");
            peft.train(true);
            float[] train = floats(model.manager(), s -> peft.forward(fixtureArgs(LLAMA, s)));
            peft.train(false);
            assertTrue(maxAbsDiff(eval1, train) > 1e-3, "dropout while training");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama_gqa_tied", "gpt2"})
    void mergeEqualsHooksAndUnmergeRestoresWeights(String fixture) {
        try (CausalLM model = Models.load(Fixtures.dir(fixture), LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            LoraAdapter a = (LoraAdapter) peft.add("a", new LoraConfig(4, 8, TargetModules.allLinear()), 1);
            a.parameters().values().forEach(p -> randomize(p, model.manager(), 2, 0.2));
            Map<String, float[]> weights = new java.util.HashMap<>();
            model.modulesOfType(Linear.class).forEach(l -> weights.put(l.name(), l.weight().array().toFloatArray()));
            float[] hooked = floats(model.manager(), s -> peft.forward(fixtureArgs(fixture, s)));
            a.merge();
            float[] merged = floats(model.manager(), s -> peft.forward(fixtureArgs(fixture, s)));
            double weightChange = maxAbsDiff(weights.get(a.targetNames().get(0)),
                    ((Linear) model.module(a.targetNames().get(0))).weight().array().toFloatArray());
            a.unmerge();
            double restored = 0;
            for (Linear l : model.modulesOfType(Linear.class)) {
                restored = Math.max(restored, maxAbsDiff(weights.get(l.name()), l.weight().array().toFloatArray()));
            }
            float[] unmerged = floats(model.manager(), s -> peft.forward(fixtureArgs(fixture, s)));
            System.out.printf("%s merge: logits |hooked-merged| %.2g, weight change %.2g, |restored-original| %.2g%n",
                    fixture, maxAbsDiff(hooked, merged), weightChange, restored);
            assertTrue(weightChange > 1e-2, "merge changed the weights");
            assertTrue(maxAbsDiff(hooked, merged) < 1e-4, "merged == hooked");
            assertTrue(restored < 1e-6, "unmerge restores the weights: " + restored);
            assertTrue(maxAbsDiff(hooked, unmerged) < 1e-5);
            assertThrows(PeftCoreException.class, a::unmerge);
        }
    }

    /** Two active LoRA adapters equal merging the first into the weights and then applying the second. */
    @Test
    void stackOfTwoEqualsApplyingThemInSequence() {
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            float[] base = floats(model.manager(), s -> peft.forward(fixtureArgs(LLAMA, s)));
            LoraAdapter lang = (LoraAdapter) peft.add("language", new LoraConfig(4, 8,
                    TargetModules.of("q_proj", "v_proj")), 1);
            LoraAdapter domain = (LoraAdapter) peft.add("domain", new LoraConfig(2, 4,
                    TargetModules.regex(".*\\.(v_proj|down_proj)")), 2);
            lang.parameters().values().forEach(p -> randomize(p, model.manager(), 3, 0.2));
            domain.parameters().values().forEach(p -> randomize(p, model.manager(), 4, 0.2));
            assertEquals(List.of("language", "domain"), peft.activeAdapters());
            assertEquals(lang.config().trainableParameters(model) + domain.config().trainableParameters(model),
                    peft.trainableParameterCount());
            float[] stacked = floats(model.manager(), s -> peft.forward(fixtureArgs(LLAMA, s)));
            peft.setActive("language");
            float[] langOnly = floats(model.manager(), s -> peft.forward(fixtureArgs(LLAMA, s)));
            assertEquals(lang.config().trainableParameters(model), peft.trainableParameterCount(),
                    "only active adapters train");
            lang.merge();
            peft.enable("domain");
            float[] sequence = floats(model.manager(), s -> peft.forward(fixtureArgs(LLAMA, s)));
            lang.unmerge();
            peft.setActive();
            float[] none = floats(model.manager(), s -> peft.forward(fixtureArgs(LLAMA, s)));
            System.out.printf("stack: |stacked-sequence| %.2g, |stacked-language only| %.2g%n",
                    maxAbsDiff(stacked, sequence), maxAbsDiff(stacked, langOnly));
            assertTrue(maxAbsDiff(stacked, sequence) < 1e-4);
            assertTrue(maxAbsDiff(stacked, langOnly) > 1e-2, "the domain adapter contributes");
            assertTrue(maxAbsDiff(base, none) < 1e-5, "all off (after merge/unmerge rounding): the base model");
            assertEquals(0, peft.trainableParameterCount());
        }
    }

    @Test
    void gradientReachesOnlyAdapterParameters() {
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            LoraAdapter a = (LoraAdapter) peft.add("a", new LoraConfig(4, 8, TargetModules.of("q_proj", "v_proj"))
                    .withModulesToSave(List.of("lm_head")), 1);
            Set<String> trainable = new TreeSet<>();
            peft.trainableParameters().forEach(p -> trainable.add(p.name()));
            assertEquals(new TreeSet<>(a.parameters().keySet()), trainable);
            assertTrue(trainable.contains("lm_head.modules_to_save.a.weight"));
            // B is zero at init, which makes A's gradient zero: give B values so every adapter gradient must be non-zero.
            for (Parameter p : peft.trainableParameters()) {
                if (p.name().contains(".lora_B.")) {
                    randomize(p, model.manager(), 3, 0.05);
                }
            }
            try (NDManager step = model.manager().newSubManager();
                 GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                ForwardArgs args = fixtureArgs(LLAMA, step);
                NDArray labels = args.inputIds().toType(DataType.INT64, true);
                gc.backward(peft.loss(args, labels).mean());
            }
            for (Parameter p : peft.namedParameters().values()) {
                boolean hasGrad = p.array().hasGradient()
                        && p.array().getGradient().abs().max().getFloat() > 0;
                assertEquals(trainable.contains(p.name()), hasGrad, p.name());
            }
        }
    }

    @Test
    void badConfigsAndTargetsGiveClearErrors() {
        assertTrue(assertThrows(PeftCoreException.class, () -> new LoraConfig(0, 8, TargetModules.of("q_proj")))
                .getMessage().contains("r (the LoRA rank) must be > 0"));
        assertThrows(PeftCoreException.class, () -> new LoraConfig(-2, 8, TargetModules.of("q_proj")));
        assertThrows(PeftCoreException.class, () -> new LoraConfig(4, 0, TargetModules.of("q_proj")));
        assertThrows(PeftCoreException.class, () -> new LoraConfig(4, 8, TargetModules.of("q_proj")).withDropout(1));
        assertThrows(PeftCoreException.class, () -> TargetModules.of(List.of()));
        assertThrows(PeftCoreException.class, () -> TargetModules.regex("(unclosed"));
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            String msg = assertThrows(PeftCoreException.class, () -> peft.add("a", new LoraConfig(4, 8,
                    TargetModules.of("q_proj", "qproj")), 1)).getMessage();
            assertTrue(msg.contains("[qproj] not found") && msg.contains("q_proj"), msg);
            msg = assertThrows(PeftCoreException.class, () -> peft.add("a", new LoraConfig(4, 8,
                    TargetModules.of("mlp")), 1)).getMessage();
            assertTrue(msg.contains("only Linear"), msg);
            msg = assertThrows(PeftCoreException.class, () -> peft.add("a", new LoraConfig(4, 8,
                    TargetModules.regex("nothing.*")), 1)).getMessage();
            assertTrue(msg.contains("not found"), msg);
            assertThrows(PeftCoreException.class, () -> peft.add("bad.name", new LoraConfig(4, 8,
                    TargetModules.of("q_proj")), 1));
            assertTrue(peft.adapterNames().isEmpty());
            assertEquals(0, model.namedParameters().keySet().stream().filter(n -> n.contains("lora")).count(),
                    "a failed injection leaves nothing behind");
            peft.add("a", new LoraConfig(4, 8, TargetModules.of("q_proj")), 1);
            assertThrows(PeftCoreException.class, () -> peft.add("a", new LoraConfig(4, 8, TargetModules.of("q_proj")),
                    1));
            assertThrows(PeftCoreException.class, () -> peft.setActive("b"));
        }
    }

    @Test
    void allLinearSkipsOnlyTheOutputHead() {
        try (CausalLM model = Models.load(Fixtures.dir("llama3_untied_sharded"), LoadOptions.cpu())) {
            List<Linear> hits = TargetModules.allLinear().resolve(model);
            assertEquals(model.modulesOfType(Linear.class).size() - 1, hits.size());
            assertFalse(hits.stream().anyMatch(l -> l.name().equals("lm_head")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama_gqa_tied", "gpt2"})
    void saveLoadRoundTripInPeftFormat(String fixture) {
        Path dir = tmp.resolve("adapter");
        float[] want;
        try (CausalLM model = Models.load(Fixtures.dir(fixture), LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            List<String> targets = names(Fixtures.expected(fixture).get("lora").get("target_modules"));
            LoraAdapter a = (LoraAdapter) peft.add("default", new LoraConfig(4, 16, TargetModules.of(targets))
                    .withRslora(true), 1);
            a.parameters().values().forEach(p -> randomize(p, model.manager(), 2, 0.2));
            want = floats(model.manager(), s -> peft.forward(fixtureArgs(fixture, s)));
            peft.save("default", dir, "fixtures/" + fixture);
        }
        JsonNode cfg = Json.read(dir.resolve(AdapterFiles.CONFIG));
        Set<String> keys = new TreeSet<>();
        cfg.fieldNames().forEachRemaining(keys::add);
        Set<String> expectedKeys = new TreeSet<>(Set.of("peft_type", "task_type", "base_model_name_or_path", "r",
                "lora_alpha", "lora_dropout", "use_rslora", "target_modules", "bias"));
        if (fixture.equals("gpt2")) {
            expectedKeys.add("fan_in_fan_out");
        }
        assertEquals(expectedKeys, keys, "only the keys used");
        assertEquals("LORA", cfg.get("peft_type").asText());
        assertEquals(16, cfg.get("lora_alpha").asInt());
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(AdapterFiles.WEIGHTS))) {
            String k = fixture.equals("gpt2") ? "base_model.model.transformer.h.0.attn.c_attn"
                    : "base_model.model.model.layers.0.self_attn.q_proj";
            assertArrayEquals(new long[] {4, 64}, f.info(k + ".lora_A.weight").shape());
            assertEquals("F32", f.info(k + ".lora_A.weight").dtype().name());
            assertEquals(fixture.equals("gpt2") ? 192 : 64, f.info(k + ".lora_B.weight").shape()[0]);
        }
        try (CausalLM model = Models.load(Fixtures.dir(fixture), LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            peft.load(dir, "reloaded");
            float[] got = floats(model.manager(), s -> peft.forward(fixtureArgs(fixture, s)));
            assertEquals(0, maxAbsDiff(want, got));
            // Resuming: a fresh adapter of the same config takes the saved weights in place.
            peft.remove("reloaded");
            peft.add("resumed", LoraConfig.fromJson(Json.read(dir.resolve(AdapterFiles.CONFIG))), 99);
            peft.loadWeights("resumed", dir);
            assertEquals(0, maxAbsDiff(want, floats(model.manager(), s -> peft.forward(fixtureArgs(fixture, s)))));
        }
    }

    @Test
    void loadingMismatchedWeightsNamesTheKey() throws Exception {
        Path dir = tmp.resolve("adapter");
        try (CausalLM model = Models.load(Fixtures.dir(LLAMA), LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            peft.add("default", new LoraConfig(4, 8, TargetModules.of("q_proj")), 1);
            peft.save("default", dir, LLAMA);
            // Drop one tensor and add a stray one.
            Map<String, NDArray> tensors = new java.util.LinkedHashMap<>();
            peft.adapter("default").savedParameters().forEach((k, p) -> tensors.put(k, p.array()));
            tensors.remove("base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight");
            tensors.put("base_model.model.model.layers.1.self_attn.k_proj.lora_A.weight", model.manager().zeros(
                    new ai.djl.ndarray.types.Shape(4, 64)));
            SafetensorsWriter.write(dir.resolve(AdapterFiles.WEIGHTS), tensors);
            PeftModel other = new PeftModel(model);
            PeftCoreException e = assertThrows(PeftCoreException.class, () -> other.load(dir, "x"));
            assertTrue(e.getMessage().contains("missing keys [base_model.model.model.layers.1.self_attn.q_proj.lora_B"
                    + ".weight]") && e.getMessage().contains("unexpected keys [base_model.model.model.layers.1."
                    + "self_attn.k_proj.lora_A.weight]"), e.getMessage());
            assertEquals(dir.resolve(AdapterFiles.WEIGHTS), e.file());
            assertTrue(other.adapterNames().isEmpty());
            java.nio.file.Files.writeString(dir.resolve(AdapterFiles.CONFIG), "{\"peft_type\": \"IA3\"}");
            e = assertThrows(PeftCoreException.class, () -> other.load(dir, "y"));
            assertTrue(e.getMessage().contains("unsupported peft_type 'IA3'"), e.getMessage());
        }
    }

    @Test
    void mergedExportIsAPlainHfCheckpointWithTheSameLogits() {
        Path out = tmp.resolve("merged");
        float[] want;
        try (CausalLM model = Models.load(Fixtures.dir("llama3_untied_sharded"), LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(model);
            LoraAdapter a = (LoraAdapter) peft.add("a", new LoraConfig(4, 8, TargetModules.allLinear())
                    .withModulesToSave(List.of("lm_head")), 1);
            a.parameters().values().forEach(p -> randomize(p, model.manager(), 2, 0.1));
            want = floats(model.manager(), s -> peft.forward(fixtureArgs("llama3_untied_sharded", s)));
            MergedExport.write(peft, Fixtures.dir("llama3_untied_sharded"), out);
            assertFalse(a.isMerged(), "unmerged after export");
        }
        assertTrue(java.nio.file.Files.isRegularFile(out.resolve("config.json")));
        try (CausalLM merged = Models.load(out, LoadOptions.cpu())) {
            float[] got = floats(merged.manager(), s -> merged.forward(fixtureArgs("llama3_untied_sharded", s)));
            System.out.printf("merged export: max|diff| %.2g%n", maxAbsDiff(want, got));
            assertTrue(maxAbsDiff(want, got) < 1e-4);
        }
    }
}
