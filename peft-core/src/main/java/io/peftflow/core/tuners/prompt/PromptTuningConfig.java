package io.peftflow.core.tuners.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.tuners.AdapterConfig;
import io.peftflow.core.tuners.ConfigReader;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Prompt tuning as HF PEFT configures it ({@code PromptTuningConfig}, CAUSAL_LM): {@code num_virtual_tokens}
 * trainable embeddings put in front of every input, initialised ({@code prompt_tuning_init}) randomly (N(0, 1),
 * torch's {@code nn.Embedding} default, as PEFT's RANDOM), from the embeddings of tokens drawn uniformly from the
 * vocabulary (SAMPLE_VOCAB, Lester et al. 2021), or, for TEXT, from the token embeddings of a text tokenized as
 * PEFT does (special tokens included), repeated and cut to {@code num_virtual_tokens}.
 *
 * @param initTokenIds TEXT's token ids; null until {@link #forTokenizer} tokenized the text
 */
public record PromptTuningConfig(int numVirtualTokens, Init init, String initText, long[] initTokenIds)
        implements AdapterConfig {
    public static final String PEFT_TYPE = "PROMPT_TUNING";

    /** PEFT's {@code PromptTuningInit}. */
    public enum Init { RANDOM, SAMPLE_VOCAB, TEXT }

    public PromptTuningConfig {
        if (numVirtualTokens <= 0) {
            throw PeftCoreException.invalidField("num_virtual_tokens", "num_virtual_tokens must be > 0, got "
                    + numVirtualTokens);
        }
        Objects.requireNonNull(init, "init");
        if ((init == Init.TEXT) != (initText != null)) {
            throw PeftCoreException.invalidField("prompt_tuning_init_text", init == Init.TEXT
                    ? "prompt_tuning_init TEXT needs prompt_tuning_init_text"
                    : "prompt_tuning_init_text is only used with prompt_tuning_init TEXT, not " + init);
        }
        if (initText != null && initText.isBlank()) {
            throw PeftCoreException.invalidField("prompt_tuning_init_text", "prompt_tuning_init_text is empty");
        }
        if (initTokenIds != null && initTokenIds.length == 0) {
            throw PeftCoreException.invalidField("prompt_tuning_init_text", "prompt_tuning_init_text '" + initText
                    + "' tokenizes to no tokens");
        }
        initTokenIds = initTokenIds == null ? null : initTokenIds.clone();
    }

    public static PromptTuningConfig random(int numVirtualTokens) {
        return new PromptTuningConfig(numVirtualTokens, Init.RANDOM, null, null);
    }

    /** SAMPLE_VOCAB: the embeddings of {@code numVirtualTokens} token ids drawn from the seed. */
    public static PromptTuningConfig sampleVocab(int numVirtualTokens) {
        return new PromptTuningConfig(numVirtualTokens, Init.SAMPLE_VOCAB, null, null);
    }

    /** TEXT init: {@code tokenizer(text)["input_ids"]}, with the BOS token as PEFT's AutoTokenizer call adds it. */
    public static PromptTuningConfig fromText(int numVirtualTokens, String text, Tokenizer tokenizer) {
        return new PromptTuningConfig(numVirtualTokens, Init.TEXT, text, null).forTokenizer(tokenizer);
    }

    /** TEXT init tokenizes its text here; the other inits need no tokenizer. */
    @Override
    public PromptTuningConfig forTokenizer(Tokenizer tokenizer) {
        return init == Init.TEXT && initTokenIds == null
                ? new PromptTuningConfig(numVirtualTokens, init, initText, tokenizer.encode(initText)) : this;
    }

    /** The ids whose embeddings initialise the prompt (TEXT): the text's ids repeated, cut to the prompt length. */
    public long[] initIds() {
        if (initTokenIds == null) {
            return null;
        }
        long[] out = new long[numVirtualTokens];
        for (int i = 0; i < out.length; i++) {
            out[i] = initTokenIds[i % initTokenIds.length];
        }
        return out;
    }

    @Override
    public String peftType() {
        return PEFT_TYPE;
    }

    @Override
    public PromptTuningAdapter attach(CausalLM model, String adapterName, long seed) {
        if (init == Init.TEXT && initTokenIds == null) {
            throw new PeftCoreException("prompt_tuning_init TEXT needs its text tokenized first:"
                    + " config.forTokenizer(tokenizer)");
        }
        return PromptTuningAdapter.attach(this, model, adapterName, seed);
    }

    @Override
    public long trainableParameters(CausalLM skeleton) {
        return (long) numVirtualTokens * skeleton.config().hiddenSize();
    }

    @Override
    public ObjectNode toJson(String baseModelNameOrPath) {
        ObjectNode n = jsonHeader(baseModelNameOrPath);
        n.put("task_type", "CAUSAL_LM");
        n.put("num_virtual_tokens", numVirtualTokens);
        n.put("num_transformer_submodules", 1);
        n.put("prompt_tuning_init", init.name());
        if (initText != null) {
            n.put("prompt_tuning_init_text", initText);
            n.put("tokenizer_name_or_path", baseModelNameOrPath);
        }
        return n;
    }

    /** Reads PEFT's config; the init is irrelevant there (the saved embeddings replace it). */
    public static PromptTuningConfig fromJson(JsonNode n) {
        ConfigReader c = ConfigReader.saved(n, "prompt_tuning");
        if (c.integer("num_transformer_submodules", 1) != 1) {
            throw c.invalid("num_transformer_submodules", c.node("num_transformer_submodules")
                    + " (encoder-decoder) is not supported");
        }
        if (!c.has("num_virtual_tokens")) {
            throw c.invalid("num_virtual_tokens", "is missing from adapter_config.json");
        }
        return random(c.integer("num_virtual_tokens", 0));
    }

    /**
     * A job's hyperparameters, PEFT's keys: {@code num_virtual_tokens} (default 20), {@code prompt_tuning_init}
     * (RANDOM, SAMPLE_VOCAB or TEXT; default SAMPLE_VOCAB) and {@code prompt_tuning_init_text}.
     */
    static PromptTuningConfig read(ConfigReader c) {
        c.ignore("peft_type", "base_model_name_or_path", "task_type", "tokenizer_name_or_path");
        if (c.integer("num_transformer_submodules", 1) != 1) {
            throw c.invalid("num_transformer_submodules", "must be 1 (decoder-only models)");
        }
        String initName = c.text("prompt_tuning_init", Init.SAMPLE_VOCAB.name());
        Init init = Arrays.stream(Init.values()).filter(i -> i.name().equals(initName.toUpperCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> c.invalid("prompt_tuning_init", "must be one of "
                        + Arrays.toString(Init.values()) + ", got " + initName));
        PromptTuningConfig config = new PromptTuningConfig(c.integer("num_virtual_tokens", 20), init,
                c.text("prompt_tuning_init_text", null), null);
        c.finish();
        return config;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptTuningConfig c && c.numVirtualTokens == numVirtualTokens && c.init == init
                && Objects.equals(c.initText, initText) && Arrays.equals(c.initTokenIds, initTokenIds);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * numVirtualTokens + init.hashCode()) + Arrays.hashCode(initTokenIds);
    }

    @Override
    public String toString() {
        return "PromptTuningConfig[numVirtualTokens=" + numVirtualTokens + ", init=" + init
                + (initText == null ? "" : ", initText=" + initText) + "]";
    }
}
