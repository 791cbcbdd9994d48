package io.peftflow.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.planner.Plan;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.training.StepProgress;
import io.peftflow.core.training.TrainResult;
import io.peftflow.core.training.TrainerCheckpoint;
import io.peftflow.core.training.TrainingConfig;
import io.peftflow.core.tuners.AdapterConfig;
import io.peftflow.core.tuners.PeftMethods;
import io.peftflow.core.tuners.lora.LoraConfig;
import io.peftflow.core.tuners.prompt.PromptTuningConfig;
import io.peftflow.data.Sha256;
import io.peftflow.data.sample.TransactionDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public run API: progress, cancel, checkpoint sink, resume, one run per JVM, field-named config errors. */
class TrainingRunTest {
    @TempDir
    Path tmp;
    Path model;
    Path train;
    Path validation;

    @BeforeEach
    void data() {
        model = TinyModel.write(tmp.resolve("tiny"));
        train = TransactionDataset.write(tmp.resolve("train.jsonl"), 48, 1);
        validation = TransactionDataset.write(tmp.resolve("validation.jsonl"), 12, 2);
    }

    RunSpec.Builder spec(int steps, Path out) {
        return RunSpec.builder().baseModel(model, "peftflow/tiny-llama").data(train, validation)
                .method("lora", json("{\"r\": 4, \"lora_alpha\": 8, \"target_modules\": [\"q_proj\", \"v_proj\"]}"))
                .training(TrainingConfig.builder().seed(5).learningRate(1e-2).maxSteps(steps).batch(8, 1)
                        .checkpointEvery(2).build())
                .device("cpu").output(out);
    }

    @Test
    void cancelSavesACheckpointThatResumeContinues() throws Exception {
        CancelToken token = new CancelToken();
        List<Integer> sunk = new ArrayList<>();
        List<RunListener.Phase> phases = new ArrayList<>();
        List<StepProgress> steps = new ArrayList<>();
        Path out = tmp.resolve("run");
        RunResult cancelled = new TrainingRun(spec(6, out).build()).cancelToken(token)
                .checkpointSink((step, dir) -> {
                    assertTrue(Files.isRegularFile(dir.resolve(TrainerCheckpoint.STATE)));
                    sunk.add(step);
                })
                .listener(new RunListener() {
                    @Override
                    public void onPhase(Phase phase) {
                        phases.add(phase);
                    }

                    @Override
                    public void onStep(StepProgress p) {
                        steps.add(p);
                        if (p.step() == 3) {
                            token.cancel();
                        }
                    }
                }).run();
        assertEquals(TrainResult.Status.CANCELLED, cancelled.status());
        assertEquals(3, cancelled.steps());
        assertEquals(List.of(2, 3), sunk, "periodic checkpoint at 2, final one at the cancel");
        assertEquals(List.of(RunListener.Phase.LOADING, RunListener.Phase.BASE_EVALUATION, RunListener.Phase.TRAINING,
                RunListener.Phase.SAVING), phases);
        assertEquals(6, steps.get(0).totalSteps());
        assertTrue(steps.get(2).tokensPerSecond() > 0 && steps.get(2).etaSeconds() >= 0);
        assertNull(cancelled.tuned());
        assertTrue(cancelled.adapterFiles().isEmpty());
        assertEquals("CANCELLED", Json.read(cancelled.manifest()).get("result").get("status").asText());

        List<Integer> resumedSteps = new ArrayList<>();
        RunResult done = new TrainingRun(spec(6, out).resumeFrom(out.resolve("checkpoint")).build())
                .listener(new RunListener() {
                    @Override
                    public void onStep(StepProgress p) {
                        resumedSteps.add(p.step());
                    }
                }).run();
        assertEquals(TrainResult.Status.COMPLETED, done.status());
        assertEquals(List.of(4, 5, 6), resumedSteps, "the step counter continues");
        assertEquals(6, done.training().losses().size());
        assertTrue(done.tuned().evalLoss() < done.base().evalLoss());
        assertEquals(List.of("adapter_config.json", "adapter_model.safetensors"),
                done.adapterFiles().stream().map(RunResult.OutputFile::name).toList());
        for (RunResult.OutputFile f : done.adapterFiles()) {
            assertEquals(Sha256.hex(f.path()), f.sha256());
        }
        JsonNode manifest = Json.read(done.manifest());
        assertEquals("peftflow/tiny-llama", manifest.get("base_model").get("id").asText());
        assertEquals("peftflow/tiny-llama", Json.read(done.adapterDir().resolve("adapter_config.json"))
                .get("base_model_name_or_path").asText());
        JsonNode majority = manifest.get("metrics").get("majority_class");
        assertEquals(done.majorityBaseline().accuracy(), majority.get("exact_match").asDouble());
        assertEquals(done.majorityBaseline().answer(), majority.get("answer").asText());
        assertTrue(done.majorityBaseline().accuracy() > 0, "the majority answer is right for some examples");
        assertEquals("0.33.0", done.versions().get("djl"));
    }

    @Test
    void aSecondRunInTheJvmFailsAtOnce() throws Exception {
        CountDownLatch training = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> firstFailed = new AtomicReference<>();
        Thread first = new Thread(() -> {
            try {
                new TrainingRun(spec(2, tmp.resolve("first")).build()).listener(new RunListener() {
                    @Override
                    public void onStep(StepProgress p) {
                        training.countDown();
                        try {
                            release.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }).run();
            } catch (Throwable t) {
                firstFailed.set(t);
            }
        });
        first.start();
        try {
            assertTrue(training.await(60, TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            PeftCoreException e = assertThrows(PeftCoreException.class,
                    () -> new TrainingRun(spec(2, tmp.resolve("second")).build()).run());
            assertTrue((System.nanoTime() - t0) / 1e9 < 1, "fails at once, before loading anything");
            assertTrue(e.getMessage().contains("one run per JVM") && e.getMessage().contains("GradientCollector")
                    && e.getMessage().contains("seed"), e.getMessage());
        } finally {
            release.countDown();
            first.join();
        }
        assertNull(firstFailed.get());
    }

    @Test
    void hyperparameterErrorsNameTheField() {
        assertEquals(List.of("lora", "seq_bn", "double_seq_bn", "prompt_tuning"), PeftMethods.names());
        assertField("r", () -> PeftMethods.config("lora", json("{\"r\": 0}")));
        assertField("r", () -> PeftMethods.config("lora", json("{\"r\": \"eight\"}")));
        assertField("lora_alpah", () -> PeftMethods.config("lora", json("{\"lora_alpah\": 16}")));
        assertField("lora_dropout", () -> PeftMethods.config("lora", json("{\"lora_dropout\": 1.5}")));
        assertField("target_modules", () -> PeftMethods.config("lora", json("{\"target_modules\": 3}")));
        assertField("use_dora", () -> PeftMethods.config("lora", json("{\"use_dora\": true}")));
        assertField("reduction_factor", () -> PeftMethods.config("seq_bn", json("{\"reduction_factor\": -2}")));
        assertField("non_linearity", () -> PeftMethods.config("double_seq_bn", json("{\"non_linearity\": \"x\"}")));
        assertField("num_virtual_tokens", () -> PeftMethods.config("prompt_tuning",
                json("{\"num_virtual_tokens\": 0}")));
        assertField("prompt_tuning_init_text", () -> PeftMethods.config("prompt_tuning",
                json("{\"prompt_tuning_init\": \"TEXT\"}")));
        assertField("method", () -> PeftMethods.config("ia3", json("{}")));
        assertField("learningRate", () -> TrainingConfig.builder().learningRate(0).build());
        assertField("method", () -> spec(1, tmp).method("seq_bn", new LoraConfig(4, 8,
                io.peftflow.core.tuners.TargetModules.of("q_proj"))).build());
        assertEquals("lora", spec(1, tmp).method("LoRA", json("{}")).build().method());

        LoraConfig lora = (LoraConfig) PeftMethods.config("LoRA", json("{\"r\": 16, \"lora_alpha\": 32}"));
        assertEquals(new LoraConfig(16, 32, io.peftflow.core.tuners.TargetModules.of("q_proj", "v_proj")), lora);
        AdapterConfig text = PeftMethods.config("prompt_tuning", json("{\"num_virtual_tokens\": 4,"
                + " \"prompt_tuning_init\": \"TEXT\", \"prompt_tuning_init_text\": \"Category:\"}"));
        assertNull(((PromptTuningConfig) text).initTokenIds(), "tokenized by the run, with the model's tokenizer");
    }

    @Test
    void planFromConfigJsonOnly() {
        TrainingConfig tc = TrainingConfig.builder().maxSteps(1).batch(8, 1).build();
        Path config = model.resolve("config.json");
        Plan plan = TrainingRun.plan(config, PeftMethods.config("lora", json("{\"target_modules\": \"all-linear\"}")),
                tc, 128, DataType.FLOAT32);
        assertTrue(plan.trainableParameters() > 0 && plan.fits(1L << 30) && !plan.fits(plan.memory().total()));
        assertField("target_modules", () -> TrainingRun.plan(config, PeftMethods.config("lora",
                json("{\"target_modules\": [\"query\"]}")), tc, 128, DataType.FLOAT32));
    }

    static void assertField(String field, org.junit.jupiter.api.function.Executable call) {
        PeftCoreException e = assertThrows(PeftCoreException.class, call);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    static JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
