package io.peftflow.core.tuners.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.tuners.AdapterConfig;
import java.util.Arrays;

/**
 * Prompt tuning as HF PEFT configures it ({@code PromptTuningConfig}, CAUSAL_LM): {@code num_virtual_tokens}
 * trainable embeddings put in front of every input, initialised randomly (N(0, 1), torch's {@code nn.Embedding}
 * default, as PEFT's RANDOM) or, for TEXT, from the token embeddings of a text tokenized as PEFT does
 * (special tokens included), repeated and cut to {@code num_virtual_tokens}.
 */
public record PromptTuningConfig(int numVirtualTokens, String initText, long[] initTokenIds)
        implements AdapterConfig {
    public static final String PEFT_TYPE = "PROMPT_TUNING";

    public PromptTuningConfig {
        if (numVirtualTokens <= 0) {
            throw new PeftCoreException("num_virtual_tokens must be positive, got " + numVirtualTokens);
        }
        if ((initText == null) != (initTokenIds == null)) {
            throw new PeftCoreException("TEXT init needs both the text and its token ids");
        }
        if (initTokenIds != null && initTokenIds.length == 0) {
            throw new PeftCoreException("prompt_tuning_init_text '" + initText + "' tokenizes to no tokens");
        }
        initTokenIds = initTokenIds == null ? null : initTokenIds.clone();
    }

    public static PromptTuningConfig random(int numVirtualTokens) {
        return new PromptTuningConfig(numVirtualTokens, null, null);
    }

    /** TEXT init: {@code tokenizer(text)["input_ids"]}, with the BOS token as PEFT's AutoTokenizer call adds it. */
    public static PromptTuningConfig fromText(int numVirtualTokens, String text, Tokenizer tokenizer) {
        return new PromptTuningConfig(numVirtualTokens, text, tokenizer.encode(text));
    }

    /** The ids whose embeddings initialise the prompt: the text's ids repeated, cut to the prompt length. */
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
        n.put("prompt_tuning_init", initText == null ? "RANDOM" : "TEXT");
        if (initText != null) {
            n.put("prompt_tuning_init_text", initText);
            n.put("tokenizer_name_or_path", baseModelNameOrPath);
        }
        return n;
    }

    /** Reads PEFT's config; the init is irrelevant there (the saved embeddings replace it). */
    public static PromptTuningConfig fromJson(JsonNode n) {
        if (n.path("num_transformer_submodules").asInt(1) != 1) {
            throw new PeftCoreException("prompt tuning with num_transformer_submodules "
                    + n.get("num_transformer_submodules") + " (encoder-decoder) is not supported");
        }
        if (!n.has("num_virtual_tokens")) {
            throw new PeftCoreException("adapter_config.json has no num_virtual_tokens");
        }
        return random(n.get("num_virtual_tokens").asInt());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptTuningConfig c && c.numVirtualTokens == numVirtualTokens
                && java.util.Objects.equals(c.initText, initText) && Arrays.equals(c.initTokenIds, initTokenIds);
    }

    @Override
    public int hashCode() {
        return 31 * numVirtualTokens + Arrays.hashCode(initTokenIds);
    }

    @Override
    public String toString() {
        return "PromptTuningConfig[numVirtualTokens=" + numVirtualTokens + ", initText=" + initText + "]";
    }
}
