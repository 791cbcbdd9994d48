package io.peftflow.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.safetensors.SafetensorsFile;
import io.peftflow.core.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainable parameters at the best evaluation so far, for {@link TrainingConfig#restoreBestWeights()} (HF
 * Trainer's {@code load_best_model_at_end}). The copy lives on the parameters' device in a manager owned by one run
 * and is refreshed in place (device-to-device copies: no host round trip, no allocation after the first). Disabled,
 * it holds nothing and every method is a no-op, so the trainer needs no branches.
 */
final class BestWeights implements AutoCloseable {
    static final String FILE = "best.safetensors";
    private static final String STEP_KEY = "step";

    private final List<Parameter> params;
    private final NDManager manager;
    private final boolean enabled;
    private List<NDArray> copies;
    private int step;

    BestWeights(List<Parameter> params, NDManager parent, boolean enabled) {
        this.params = List.copyOf(params);
        this.manager = parent.newSubManager();
        this.enabled = enabled;
    }

    /** The step whose weights are held; 0 when none are. */
    int step() {
        return step;
    }

    /** Copies the parameters' current values (those of {@code atStep}). */
    void capture(int atStep) {
        if (!enabled) {
            return;
        }
        allocate();
        for (int i = 0; i < params.size(); i++) {
            copies.get(i).set(new NDIndex("..."), params.get(i).array());
        }
        step = atStep;
    }

    /** Copies the held values back into the parameters (in place: hooks keep their arrays); false if none held. */
    boolean restore() {
        if (copies == null || step == 0) {
            return false;
        }
        for (int i = 0; i < params.size(); i++) {
            params.get(i).array().set(new NDIndex("..."), copies.get(i));
        }
        return true;
    }

    /** Writes {@value #FILE} into a checkpoint directory, or removes a stale one when nothing is held. */
    void save(Path dir) {
        Path file = dir.resolve(FILE);
        if (copies == null || step == 0) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new PeftCoreException("cannot remove stale best weights: " + e.getMessage(), file, null, e);
            }
            return;
        }
        Map<String, NDArray> named = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            named.put(params.get(i).name(), copies.get(i));
        }
        SafetensorsWriter.write(file, named, Map.of(STEP_KEY, Integer.toString(step)));
    }

    /**
     * Reads the best weights of a checkpoint whose state says they are those of {@code bestStep}. A checkpoint made
     * without them (restoreBestWeights off, or written before it existed) cannot end a run on its best weights.
     */
    void load(Path dir, int bestStep) {
        if (!enabled || bestStep == 0) {
            return;
        }
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new PeftCoreException("checkpoint has no best weights (" + FILE + ") for its best step " + bestStep
                    + ": it was made with restoreBestWeights off or by an older version; resume with"
                    + " restoreBestWeights(false) to end on the last weights", dir, null);
        }
        allocate();
        try (NDManager scope = manager.newSubManager(); SafetensorsFile f = SafetensorsFile.open(file)) {
            if (!Integer.toString(bestStep).equals(f.metadata().get(STEP_KEY))) {
                throw new PeftCoreException("best weights are of step " + f.metadata().get(STEP_KEY)
                        + " but the checkpoint's best step is " + bestStep, file, null);
            }
            for (int i = 0; i < params.size(); i++) {
                Parameter p = params.get(i);
                TrainerCheckpoint.copySaved(f, file, p, copies.get(i), scope,
                        "best weights lack trainable parameter " + p.name());
            }
        }
        step = bestStep;
    }

    private void allocate() {
        if (copies != null) {
            return;
        }
        copies = new ArrayList<>(params.size());
        for (Parameter p : params) {
            NDArray a = p.array();
            copies.add(manager.zeros(a.getShape(), a.getDataType(), a.getDevice()));
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
