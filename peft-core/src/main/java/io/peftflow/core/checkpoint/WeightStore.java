package io.peftflow.core.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.safetensors.SafetensorsFile;
import io.peftflow.core.safetensors.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The weights of an HF checkpoint directory: {@code model.safetensors}, or the shards listed in
 * {@code model.safetensors.index.json}. Tensors are looked up by name and streamed one at a time.
 */
public final class WeightStore implements AutoCloseable {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Map<String, SafetensorsFile> byTensor;
    private final Map<Path, SafetensorsFile> files;

    private WeightStore(Map<String, SafetensorsFile> byTensor, Map<Path, SafetensorsFile> files) {
        this.byTensor = byTensor;
        this.files = files;
    }

    public static WeightStore open(Path dir) {
        Path index = dir.resolve(INDEX_FILE);
        Path single = dir.resolve(SINGLE_FILE);
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        Map<Path, SafetensorsFile> files = new LinkedHashMap<>();
        WeightStore store = new WeightStore(Collections.unmodifiableMap(byTensor), files);
        try {
            if (Files.isRegularFile(index)) {
                JsonNode map = Json.read(index).get("weight_map");
                if (map == null || !map.isObject()) {
                    throw new PeftCoreException("index has no weight_map object", index, null);
                }
                for (var it = map.fields(); it.hasNext(); ) {
                    var e = it.next();
                    Path shard = dir.resolve(e.getValue().asText());
                    if (!Files.isRegularFile(shard)) {
                        throw new PeftCoreException("shard listed in " + INDEX_FILE + " is missing", shard, e.getKey());
                    }
                    SafetensorsFile f = files.computeIfAbsent(shard, SafetensorsFile::open);
                    if (!f.tensors().containsKey(e.getKey())) {
                        throw new PeftCoreException("tensor listed in " + INDEX_FILE + " is absent from its shard",
                                shard, e.getKey());
                    }
                    byTensor.put(e.getKey(), f);
                }
            } else if (Files.isRegularFile(single)) {
                SafetensorsFile f = SafetensorsFile.open(single);
                files.put(single, f);
                f.tensors().keySet().forEach(n -> byTensor.put(n, f));
            } else {
                throw new PeftCoreException("no " + SINGLE_FILE + " or " + INDEX_FILE + " in checkpoint directory", dir,
                        null);
            }
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public Set<String> names() {
        return byTensor.keySet();
    }

    public boolean contains(String name) {
        return byTensor.containsKey(name);
    }

    public TensorInfo info(String name) {
        return file(name).info(name);
    }

    public SafetensorsFile file(String name) {
        SafetensorsFile f = byTensor.get(name);
        if (f == null) {
            Path where = files.isEmpty() ? null : files.keySet().iterator().next().getParent();
            throw new PeftCoreException("tensor missing from checkpoint", where, name);
        }
        return f;
    }

    public NDArray load(String name, NDManager manager, DataType floatType, Device device) {
        return file(name).load(name, manager, floatType, device);
    }

    /** Total bytes of all tensors as stored. */
    public long storedBytes() {
        return files.values().stream().flatMap(f -> f.tensors().values().stream()).mapToLong(TensorInfo::byteSize)
                .sum();
    }

    @Override
    public void close() {
        files.values().forEach(SafetensorsFile::close);
    }
}
