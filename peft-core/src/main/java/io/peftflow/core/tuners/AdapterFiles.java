package io.peftflow.core.tuners;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.ModelConfig;
import io.peftflow.core.model.Models;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.safetensors.SafetensorsFile;
import io.peftflow.core.safetensors.SafetensorsWriter;
import io.peftflow.core.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The adapter directory layout HF PEFT uses for every method: {@code adapter_config.json} (with
 * {@code peft_type}) beside {@code adapter_model.safetensors} holding F32 tensors under the method's saved keys.
 */
public final class AdapterFiles {
    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";

    private AdapterFiles() {
    }

    public static void save(Adapter adapter, Path dir, String baseModelNameOrPath) {
        try {
            Files.createDirectories(dir);
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(CONFIG).toFile(),
                    adapter.configJson(baseModelNameOrPath));
        } catch (IOException e) {
            throw new PeftCoreException("cannot write adapter config: " + e.getMessage(), dir.resolve(CONFIG), null, e);
        }
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        adapter.savedParameters().forEach((k, p) -> tensors.put(k, p.array()));
        SafetensorsWriter.write(dir.resolve(WEIGHTS), tensors);
    }

    /**
     * That the saved adapter in {@code dir} was trained on {@code baseModelId} ({@code base_model_name_or_path});
     * else a {@link PeftCoreException} naming its config file, {@code what} saying which adapter it is.
     */
    public static void requireBase(Path dir, String baseModelId, String what) {
        Path config = dir.resolve(CONFIG);
        String base = Json.read(config).path(WarmStart.BASE_MODEL_KEY).asText("");
        if (!base.equals(baseModelId)) {
            throw new PeftCoreException(what + " was trained on base model '" + base + "', this run's is '"
                    + baseModelId + "'", config, null);
        }
    }

    /** The config of a saved adapter, by its {@code peft_type}. */
    public static AdapterConfig readConfig(Path dir) {
        Path file = dir.resolve(CONFIG);
        JsonNode json = Json.read(file);
        String type = json.path("peft_type").asText("");
        try {
            return PeftMethods.forPeftType(type).fromSaved(json);
        } catch (PeftCoreException e) {
            throw e.file() != null ? e : new PeftCoreException(e.getMessage(), file, e.tensor(), e);
        }
    }

    /**
     * Checks a saved adapter against a base model's {@code config.json} without loading any weights: the config is
     * read and validated as {@link PeftModel#load} reads it, attached to the base's weightless skeleton (so target
     * modules resolve as in training), and the safetensors header must hold exactly the keys and shapes that gives.
     * A mismatch is a {@link PeftCoreException} naming the file and the tensor. {@code adapterName} is the name it
     * was saved under: bottleneck keys contain it, LoRA and prompt tuning keys do not.
     */
    public static AdapterConfig verify(Path dir, ModelConfig base, String adapterName) {
        AdapterConfig config = readConfig(dir);
        Adapter adapter;
        try {
            adapter = config.attach(Models.create(base, null, DataType.FLOAT32), adapterName, 0);
        } catch (PeftCoreException e) {
            throw e.file() != null ? e : new PeftCoreException(e.getMessage(), dir.resolve(CONFIG), e.tensor(), e);
        }
        try (SafetensorsFile f = open(dir)) {
            checkSaved(adapter, f);
        }
        return config;
    }

    /** Loads the saved tensors into {@code adapter}: same key set, same shapes, or an error naming the key. */
    static void loadWeights(Adapter adapter, Path dir, CausalLM model) {
        try (SafetensorsFile f = open(dir)) {
            checkSaved(adapter, f);
            for (Map.Entry<String, Parameter> e : adapter.savedParameters(f.tensors().keySet()).entrySet()) {
                Parameter p = e.getValue();
                NDArray old = p.array();
                p.set(f.load(e.getKey(), model.manager(), DataType.FLOAT32, model.device()));
                old.close();
            }
        }
    }

    private static SafetensorsFile open(Path dir) {
        Path file = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(file) && Files.isRegularFile(dir.resolve("adapter_model.bin"))) {
            throw new PeftCoreException("only safetensors adapters are supported; re-save with "
                    + "save_pretrained(safe_serialization=True)", dir.resolve("adapter_model.bin"), null);
        }
        return SafetensorsFile.open(file);
    }

    /** The file's header holds exactly the adapter's saved keys, each with its parameter's shape. */
    private static void checkSaved(Adapter adapter, SafetensorsFile f) {
        Map<String, Parameter> expected = adapter.savedParameters(f.tensors().keySet());
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(f.tensors().keySet());
        Set<String> unexpected = new TreeSet<>(f.tensors().keySet());
        unexpected.removeAll(expected.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            String first = !missing.isEmpty() ? missing.iterator().next() : unexpected.iterator().next();
            throw new PeftCoreException("adapter weights do not fit " + adapter.config().peftType()
                    + " adapter " + adapter.name() + ": missing keys " + missing + ", unexpected keys "
                    + unexpected, f.path(), first);
        }
        for (Map.Entry<String, Parameter> e : expected.entrySet()) {
            TensorInfo info = f.info(e.getKey());
            if (!Arrays.equals(info.shape(), e.getValue().shape().getShape())) {
                throw new PeftCoreException("shape mismatch: file has " + Arrays.toString(info.shape())
                        + ", the adapter config gives " + e.getValue().shape(), f.path(), e.getKey());
            }
        }
    }
}
