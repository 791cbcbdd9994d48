package io.peftflow.core.tuners;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import java.nio.file.Path;

/**
 * A new adapter that starts from a saved one's weights instead of its initialisation (retraining from the champion).
 * Only a parent of the same kind fits: the same base model and the same method config, every key of
 * {@code adapter_config.json}; the weights then load as a resume's do, key for key and shape for shape.
 */
public final class WarmStart {
    static final String BASE_MODEL_KEY = "base_model_name_or_path";

    private WarmStart() {
    }

    /**
     * Replaces adapter {@code name}'s weights with those saved in {@code parentDir}.
     *
     * @throws PeftCoreException naming the parent's {@code adapter_config.json} when its base model or config differs
     */
    public static void load(PeftModel peft, String name, Path parentDir, String baseModelId) {
        Path config = parentDir.resolve(AdapterFiles.CONFIG);
        ObjectNode parent = (ObjectNode) Json.read(config).deepCopy();
        ObjectNode own = peft.adapter(name).configJson(baseModelId).deepCopy();
        AdapterFiles.requireBase(parentDir, baseModelId, "the warm start's parent adapter");
        parent.remove(BASE_MODEL_KEY);
        own.remove(BASE_MODEL_KEY);
        // compared as written: in memory a float and a double of the same value are different nodes
        if (!parent.toString().equals(own.toString())) {
            throw new PeftCoreException("the warm start's parent adapter has config " + parent + ", this run's is "
                    + own, config, null);
        }
        peft.loadWeights(name, parentDir);
    }
}
