package io.peftflow.dataset.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.peftflow.dataset.DatasetConfig;
import io.peftflow.dataset.Problems;
import io.peftflow.dataset.validation.LengthCounter;
import io.peftflow.kit.storage.ObjectStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Token counters for base models, from {@code s3://<models-bucket>/<base_model>/tokenizer.json}, loaded once
 * per model and kept (there are few base models, and tokenizers are immutable).
 */
@ApplicationScoped
public class TokenizerRegistry {
    /** {@code name} or {@code org/name}; no path tricks. */
    private static final Pattern BASE_MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}(/[A-Za-z0-9][A-Za-z0-9._-]{0,99})?");

    private final ObjectStore store;
    private final String bucket;
    private final Map<String, HuggingFaceTokenizer> tokenizers = new ConcurrentHashMap<>();

    public TokenizerRegistry(ObjectStore store, DatasetConfig config) {
        this.store = store;
        this.bucket = config.modelsBucket();
    }

    /** A counter of {@code baseModel}'s tokens; 400 for a malformed name, 422 for an unknown model. */
    public LengthCounter counter(String baseModel) {
        if (!BASE_MODEL.matcher(baseModel).matches() || baseModel.contains("..")) {
            throw Problems.badRequest("base_model must look like name or org/name, got '" + baseModel + "'");
        }
        HuggingFaceTokenizer tokenizer = tokenizers.computeIfAbsent(baseModel, this::load);
        return LengthCounter.perTurn("tokens", text -> tokenizer.encode(text, false, false).getIds().length);
    }

    private HuggingFaceTokenizer load(String baseModel) {
        String key = baseModel + "/tokenizer.json";
        if (store.stat(bucket, key).isEmpty()) {
            throw Problems.unprocessable("unknown base_model '" + baseModel + "': no tokenizer at "
                    + ObjectStore.uri(bucket, key));
        }
        // Truncation off: the library truncates to 512 tokens by default, which would cap every length.
        try (InputStream in = store.get(bucket, key)) {
            return HuggingFaceTokenizer.newInstance(in, Map.of("truncation", "false", "padding", "false",
                    "addSpecialTokens", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load tokenizer " + ObjectStore.uri(bucket, key), e);
        }
    }

    @PreDestroy
    void close() {
        tokenizers.values().forEach(HuggingFaceTokenizer::close);
    }
}
