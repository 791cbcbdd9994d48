package io.peftflow.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.safetensors.SafetensorsFile;
import io.peftflow.core.safetensors.SafetensorsWriter;
import io.peftflow.core.training.optim.AdamW;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resumable training checkpoint directory: {@value #WEIGHTS} (the trainable parameters by name, F32, as they are
 * at the checkpoint's step: what training continues from), {@value #OPTIMIZER} (AdamW moments), {@value #BEST} (the
 * trainable parameters at the best evaluation so far, when {@link TrainingConfig#restoreBestWeights()} and there
 * was one) and {@value #STATE} (step, data position, loss scale, early-stopping state, the loss curve so far, the
 * config and a data fingerprint). The random state needs no saving: data order is a
 * function of (seed, epoch) and the engine RNG (dropout) is re-seeded from (seed, step) before every update.
 */
public final class TrainerCheckpoint {
    public static final String WEIGHTS = "trainable.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "trainer_state.json";
    public static final String BEST = BestWeights.FILE;

    private TrainerCheckpoint() {
    }

    /** Writes a checkpoint of {@code state}; the state file goes last, so a directory with it is complete. */
    static void save(Path dir, TrainerState state, AdamW optimizer, BestWeights best) {
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(STATE));
            Map<String, NDArray> weights = new LinkedHashMap<>();
            optimizer.parameters().forEach(p -> weights.put(p.name(), p.array()));
            SafetensorsWriter.write(dir.resolve(WEIGHTS), weights);
            try (NDManager scope = optimizer.parameters().get(0).array().getManager().newSubManager()) {
                SafetensorsWriter.write(dir.resolve(OPTIMIZER), optimizer.state(scope));
            }
            best.save(dir);
            Path tmp = dir.resolve(STATE + ".tmp");
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), state.toJson());
            Files.move(tmp, dir.resolve(STATE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new PeftCoreException("cannot write checkpoint: " + e.getMessage(), dir, null, e);
        }
    }

    /** The saved state, without touching the model. */
    static TrainerState readState(Path dir) {
        Path file = dir.resolve(STATE);
        if (!Files.isRegularFile(file)) {
            throw new PeftCoreException("not a complete training checkpoint (no " + STATE + ")", dir, null);
        }
        return TrainerState.fromJson(Json.read(file));
    }

    /** Copies the saved parameters and moments into the live ones (in place: hooks keep their arrays). */
    static void restore(Path dir, TrainerState state, AdamW optimizer, NDManager manager) {
        List<Parameter> params = optimizer.parameters();
        try (NDManager scope = manager.newSubManager();
             SafetensorsFile w = SafetensorsFile.open(dir.resolve(WEIGHTS));
             SafetensorsFile o = SafetensorsFile.open(dir.resolve(OPTIMIZER))) {
            for (Parameter p : params) {
                copySaved(w, dir.resolve(WEIGHTS), p, p.array(), scope, "checkpoint lacks trainable parameter "
                        + p.name() + " (was it made with another adapter config?)");
            }
            Map<String, NDArray> moments = new HashMap<>();
            for (String name : o.tensors().keySet()) {
                moments.put(name, o.load(name, scope, DataType.FLOAT32, manager.getDevice()));
            }
            optimizer.restore(moments, state.optimizerSteps(), scope);
        }
    }

    /**
     * Copies parameter {@code p}'s value saved in {@code f} (at {@code file}) into {@code target}, in place, after
     * checking it is there ({@code missing} is the error otherwise) and has the parameter's shape.
     */
    static void copySaved(SafetensorsFile f, Path file, Parameter p, NDArray target, NDManager scope,
                          String missing) {
        if (!f.tensors().containsKey(p.name())) {
            throw new PeftCoreException(missing, file, p.name());
        }
        NDArray value = f.load(p.name(), scope, DataType.FLOAT32, p.array().getDevice());
        if (!value.getShape().equals(p.shape())) {
            throw new PeftCoreException("shape " + value.getShape() + " != " + p.shape(), file, p.name());
        }
        target.set(new NDIndex("..."), value);
    }

    /** Resumable state of a {@link Trainer}. */
    record TrainerState(int step, int epoch, int cursor, float lossScale, int goodSteps, int optimizerSteps,
                        double bestEvalLoss, int bestStep, int evalsSinceBest, int skippedSteps, long tokens,
                        List<Double> losses, List<TrainResult.Evaluation> evaluations, long dataFingerprint,
                        TrainingConfig config) {
        ObjectNode toJson() {
            return Json.MAPPER.valueToTree(this);
        }

        static TrainerState fromJson(JsonNode node) {
            try {
                if (node instanceof ObjectNode o && o.has("config")) {
                    // Through TrainingConfig's parser, which gives fields newer than the checkpoint their defaults.
                    node = o.deepCopy().set("config", TrainingConfig.fromJson(o.get("config")).toJson());
                }
                return Json.MAPPER.treeToValue(node, TrainerState.class);
            } catch (IOException | IllegalArgumentException e) {
                throw new PeftCoreException("invalid " + STATE + ": " + e.getMessage(), e);
            }
        }
    }
}
