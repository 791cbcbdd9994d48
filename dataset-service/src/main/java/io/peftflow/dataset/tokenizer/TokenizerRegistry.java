package io.peftflow.dataset.tokenizer;

import io.peftflow.events.contract.BaseModelId;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peftflow.data.SpecialTokens;
import io.peftflow.data.TextTokenizer;
import io.peftflow.dataset.DatasetConfig;
import io.peftflow.dataset.Problems;
import io.peftflow.dataset.validation.LengthCounter;
import io.peftflow.kit.storage.ObjectStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The base models' tokenizers, from {@code s3://<models-bucket>/<base_model>/}: {@code tokenizer.json}
 * (required) with the special tokens {@code tokenizer_config.json} and {@code config.json} declare, read as
 * peft-core reads a checkpoint ({@link SpecialTokens}). Loaded once per model and kept (there are few base
 * models, and tokenizers are immutable).
 */
@ApplicationScoped
public class TokenizerRegistry {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;
    private final String bucket;
    private final Map<String, ModelTokenizer> tokenizers = new ConcurrentHashMap<>();

    public TokenizerRegistry(ObjectStore store, DatasetConfig config) {
        this.store = store;
        this.bucket = config.modelsBucket();
    }

    /** A counter of {@code baseModel}'s trained lengths; 400 for a malformed name, 422 for an unknown or unusable model. */
    public LengthCounter counter(String baseModel) {
        BaseModelId.check("base_model", baseModel);
        return LengthCounter.tokens(baseModel, tokenizers.computeIfAbsent(baseModel, this::load));
    }

    private ModelTokenizer load(String baseModel) {
        String key = baseModel + "/tokenizer.json";
        byte[] tokenizerJson = read(key).orElseThrow(() -> Problems.unprocessable("unknown base_model '" + baseModel
                + "': no tokenizer at " + ObjectStore.uri(bucket, key)));
        JsonNode tokenizerConfig = json(baseModel + "/tokenizer_config.json");
        JsonNode config = json(baseModel + "/config.json");
        Map<String, Long> vocabulary;
        try {
            vocabulary = SpecialTokens.vocabulary(JSON.readTree(tokenizerJson));
        } catch (IOException e) {
            throw Problems.unprocessable("base_model '" + baseModel + "' has an unreadable " + key + ": " + e.getMessage());
        }
        Long bos = SpecialTokens.id(tokenizerConfig, "bos_token", vocabulary, SpecialTokens.configId(config, "bos_token_id"));
        Long eos = SpecialTokens.id(tokenizerConfig, "eos_token", vocabulary, SpecialTokens.configId(config, "eos_token_id"));
        if (eos == null) {
            throw Problems.unprocessable("base_model '" + baseModel + "' declares no EOS token (eos_token in"
                    + " tokenizer_config.json or eos_token_id in config.json next to its tokenizer.json), so it cannot be trained");
        }
        // Truncation off: the library truncates to 512 tokens by default, which would cap every length.
        try {
            HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson),
                    Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false"));
            return new ModelTokenizer(hf, Optional.ofNullable(bos), Optional.of(eos));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load tokenizer " + ObjectStore.uri(bucket, key), e);
        }
    }

    private Optional<byte[]> read(String key) {
        if (store.stat(bucket, key).isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = store.get(bucket, key)) {
            return Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ObjectStore.uri(bucket, key), e);
        }
    }

    /** An optional JSON file of the model, or null. */
    private JsonNode json(String key) {
        byte[] bytes = read(key).orElse(null);
        if (bytes == null) {
            return null;
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw Problems.unprocessable("base model file " + ObjectStore.uri(bucket, key) + " is not JSON: " + e.getMessage());
        }
    }

    /** The tokenizer with the model's special tokens, as peft-core's checkpoint tokenizer encodes. */
    private record ModelTokenizer(HuggingFaceTokenizer hf, Optional<Long> bosId, Optional<Long> eosId) implements TextTokenizer {
        @Override
        public long[] encodeText(String text) {
            return hf.encode(text, false, false).getIds();
        }
    }

    @PreDestroy
    void close() {
        tokenizers.values().forEach(t -> t.hf().close());
    }
}
