package io.peftflow.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.data.EncodedDataset;
import io.peftflow.core.data.Examples;
import io.peftflow.core.data.OverLongPolicy;
import io.peftflow.core.data.SequenceEncoder;
import io.peftflow.core.evaluation.Evaluator;
import io.peftflow.core.manifest.RunManifest;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.safetensors.SafetensorsFile;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.training.TrainingConfig;
import io.peftflow.core.tuners.AdapterFiles;
import io.peftflow.core.tuners.Inits;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.lora.LoraConfig;
import io.peftflow.data.sample.TransactionDataset;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stackOn}: a run trains a new adapter on top of a frozen saved one. Only the new adapter trains (the frozen
 * one's parameters are never trainable) and is saved; the base metrics are the
 * frozen stack's; the saved adapter loaded on the frozen one reproduces the run's tuned eval loss; the manifest
 * records the stack; a frozen adapter of another base model is refused naming its config file.
 */
class StackOnTest {
    private static final String BASE = "peftflow/tiny-llama";

    @TempDir
    Path tmp;

    @Test
    void trainsOnlyTheNewAdapterOnTopOfTheFrozenOne() throws Exception {
        Path model = TinyModel.write(tmp.resolve("tiny"));
        Path train = TransactionDataset.write(tmp.resolve("train.jsonl"), 48, 1);
        Path validation = TransactionDataset.write(tmp.resolve("validation.jsonl"), 12, 2);
        Path frozen = tmp.resolve("lang");
        LoraConfig lora = new LoraConfig(4, 8, TargetModules.of("q_proj", "v_proj"));
        try (CausalLM m = Models.load(model, LoadOptions.cpu()); NDManager scope = m.manager().newSubManager()) {
            PeftModel peft = new PeftModel(m);
            peft.add("lang", lora, 1);
            long seed = 100;
            for (Parameter p : peft.adapter("lang").parameters().values()) {
                var old = p.array();
                Inits.normal(p, scope, seed++, p.name(), 0.05);
                old.close();
            }
            peft.save("lang", frozen, BASE);
        }

        RunSpec.Builder spec = RunSpec.builder().baseModel(model, BASE).data(train, validation)
                .method("lora", Json.MAPPER.readTree("{\"r\": 4, \"lora_alpha\": 8, \"target_modules\": [\"q_proj\", \"v_proj\"]}"))
                .training(TrainingConfig.builder().seed(5).learningRate(1e-2).maxSteps(4).batch(8, 1).build())
                .device("cpu").output(tmp.resolve("run")).stackOn(List.of(frozen));
        RunResult r = new TrainingRun(spec.build()).run();

        JsonNode manifest = Json.read(r.manifest());
        assertEquals(RunManifest.sha256Files(frozen, ".safetensors"), manifest.at("/stack_on/0/sha256").asText());
        assertEquals("LORA", manifest.at("/stack_on/0/peft_type").asText());
        try (SafetensorsFile saved = SafetensorsFile.open(r.adapterDir().resolve(AdapterFiles.WEIGHTS));
             SafetensorsFile lang = SafetensorsFile.open(frozen.resolve(AdapterFiles.WEIGHTS))) {
            assertEquals(lang.tensors().keySet(), saved.tensors().keySet(), "only the new adapter is saved");
            String key = lang.tensors().keySet().stream().filter(k -> k.contains("lora_B")).findFirst().orElseThrow();
            assertFalse(java.util.Arrays.equals(lang.readFloats(key), saved.readFloats(key)));
        }

        try (CausalLM m = Models.load(model, LoadOptions.cpu()); Tokenizer tok = Tokenizer.load(model)) {
            PeftModel peft = new PeftModel(m);
            SequenceEncoder encoder = new SequenceEncoder(tok, null, tok.maxLength(), OverLongPolicy.TRUNCATE, false);
            EncodedDataset data = encoder.encode(Examples.read(validation));
            long pad = tok.padId().orElse(tok.eosId().orElse(0L));
            double bare = Evaluator.loss(peft, data, 8, pad).loss();
            peft.load(frozen, "lang");
            peft.freeze("lang");
            assertEquals(r.base().evalLoss(), Evaluator.loss(peft, data, 8, pad).loss(), 1e-5,
                    "the run's base metrics are the frozen stack's");
            assertNotEquals(bare, r.base().evalLoss(), 1e-4);
            peft.load(r.adapterDir(), "new");
            Set<Parameter> trainable = Set.copyOf(peft.trainableParameters());
            assertTrue(peft.adapter("lang").parameters().values().stream().noneMatch(trainable::contains),
                    "a frozen adapter's parameters never train");
            assertEquals(Set.copyOf(peft.adapter("new").parameters().values()), trainable);
            assertEquals(r.tuned().evalLoss(), Evaluator.loss(peft, data, 8, pad).loss(), 1e-5,
                    "the saved adapter on the frozen one is the trained model");
        }

        PeftCoreException other = assertThrows(PeftCoreException.class, () -> new TrainingRun(spec
                .baseModel(model, "another-model").output(tmp.resolve("other")).build()).run());
        assertTrue(other.getMessage().contains("stack_on adapter 0 was trained on base model '" + BASE + "'"),
                other.getMessage());
        assertTrue(other.file().endsWith(AdapterFiles.CONFIG));
    }
}
