package io.peftflow.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.PeftCoreException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The architecture-relevant part of an HF {@code config.json}, normalised across families (GPT-2's
 * {@code n_embd}/{@code n_layer} become hidden size/layers) and across transformers versions (4.x
 * {@code rope_theta}/{@code rope_scaling} and 5.x {@code rope_parameters}).
 *
 * @param architecture the {@code architectures[0]} entry, e.g. LlamaForCausalLM
 * @param headDim per-head size ({@code head_dim} if given, else hidden / heads)
 * @param qkvBias whether q/k/v projections have a bias (Qwen2; Llama's {@code attention_bias}; GPT-2)
 * @param outputBias whether the attention output projection has a bias
 * @param slidingWindow attention window in tokens, or 0 for full attention
 * @param slidingLayers per layer: whether it uses {@code slidingWindow}
 */
public record ModelConfig(
        Architecture architecture,
        String modelType,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int intermediateSize,
        int maxPositions,
        double normEps,
        String hiddenAct,
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean tieWordEmbeddings,
        boolean qkvBias,
        boolean outputBias,
        boolean mlpBias,
        int slidingWindow,
        boolean[] slidingLayers,
        boolean scaleAttnByInverseLayerIdx,
        Integer bosTokenId,
        List<Integer> eosTokenIds,
        Integer padTokenId) {

    /**
     * RoPE frequency scaling. {@code type} is "llama3" or "linear"; other types are rejected when parsing.
     */
    public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                              int originalMaxPositions) {
    }

    public boolean isGpt2() {
        return architecture.family() == Architecture.Family.GPT2;
    }

    public int kvGroups() {
        return numHeads / numKvHeads;
    }

    public static ModelConfig parse(JsonNode c, Path file) {
        Architecture arch = Architecture.fromConfig(c, file);
        try {
            return arch.family() == Architecture.Family.GPT2 ? parseGpt2(arch, c, file) : parseLlama(arch, c, file);
        } catch (PeftCoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PeftCoreException("invalid config: " + e.getMessage(), file, null, e);
        }
    }

    private static ModelConfig parseLlama(Architecture arch, JsonNode c, Path file) {
        int hidden = req(c, "hidden_size", file);
        int heads = req(c, "num_attention_heads", file);
        int kv = opt(c, "num_key_value_heads", heads);
        int layers = req(c, "num_hidden_layers", file);
        if (heads <= 0 || kv <= 0 || heads % kv != 0) {
            throw new PeftCoreException("num_attention_heads " + heads + " is not a multiple of num_key_value_heads "
                    + kv, file, null);
        }
        int headDim = opt(c, "head_dim", hidden / heads);
        JsonNode ropeParams = c.get("rope_parameters");
        JsonNode scalingNode = c.get("rope_scaling");
        double theta = c.path("rope_theta").asDouble(10000.0);
        if (ropeParams != null && ropeParams.isObject()) {
            theta = ropeParams.path("rope_theta").asDouble(theta);
            scalingNode = ropeParams;
        }
        RopeScaling scaling = parseScaling(scalingNode, file);
        int window = 0;
        boolean[] sliding = new boolean[layers];
        boolean qkvBias;
        boolean outBias;
        switch (arch) {
            case QWEN2 -> {
                qkvBias = true;
                outBias = false;
                if (c.path("use_sliding_window").asBoolean(false) && !c.path("sliding_window").isNull()) {
                    window = c.path("sliding_window").asInt(0);
                    int maxWindowLayers = opt(c, "max_window_layers", layers);
                    for (int i = 0; i < layers; i++) {
                        sliding[i] = i >= maxWindowLayers;
                    }
                }
            }
            case MISTRAL -> {
                qkvBias = false;
                outBias = false;
                window = c.path("sliding_window").isNull() ? 0 : c.path("sliding_window").asInt(0);
                java.util.Arrays.fill(sliding, window > 0);
            }
            default -> {
                qkvBias = c.path("attention_bias").asBoolean(false);
                outBias = qkvBias;
            }
        }
        JsonNode layerTypes = c.get("layer_types");
        if (layerTypes != null && layerTypes.isArray() && layerTypes.size() == layers && window > 0) {
            for (int i = 0; i < layers; i++) {
                sliding[i] = "sliding_attention".equals(layerTypes.get(i).asText());
            }
        }
        String act = c.path("hidden_act").asText("silu");
        if (!act.equals("silu")) {
            throw new PeftCoreException("unsupported hidden_act " + act + " for " + arch.hfName(), file, null);
        }
        return new ModelConfig(arch, c.path("model_type").asText(arch.modelType()), req(c, "vocab_size", file),
                hidden, layers, heads, kv, headDim, req(c, "intermediate_size", file),
                opt(c, "max_position_embeddings", 2048), c.path("rms_norm_eps").asDouble(1e-6), act, theta, scaling,
                c.path("tie_word_embeddings").asBoolean(false), qkvBias, outBias, c.path("mlp_bias").asBoolean(false),
                window, sliding, false, intOrNull(c, "bos_token_id"), ints(c.get("eos_token_id")),
                intOrNull(c, "pad_token_id"));
    }

    private static ModelConfig parseGpt2(Architecture arch, JsonNode c, Path file) {
        int hidden = req(c, "n_embd", file);
        int heads = req(c, "n_head", file);
        int layers = req(c, "n_layer", file);
        JsonNode inner = c.get("n_inner");
        String act = c.path("activation_function").asText("gelu_new");
        if (!act.equals("gelu_new") && !act.equals("gelu")) {
            throw new PeftCoreException("unsupported activation_function " + act + " for GPT-2", file, null);
        }
        if (!c.path("scale_attn_weights").asBoolean(true)) {
            throw new PeftCoreException("scale_attn_weights=false is not supported", file, null);
        }
        return new ModelConfig(arch, "gpt2", req(c, "vocab_size", file), hidden, layers, heads, heads,
                hidden / heads, inner == null || inner.isNull() ? 4 * hidden : inner.asInt(),
                opt(c, "n_positions", 1024), c.path("layer_norm_epsilon").asDouble(1e-5), act, 0, null,
                c.path("tie_word_embeddings").asBoolean(true), true, true, true, 0, new boolean[layers],
                c.path("scale_attn_by_inverse_layer_idx").asBoolean(false), intOrNull(c, "bos_token_id"),
                ints(c.get("eos_token_id")), intOrNull(c, "pad_token_id"));
    }

    private static RopeScaling parseScaling(JsonNode s, Path file) {
        if (s == null || s.isNull()) {
            return null;
        }
        String type = s.has("rope_type") ? s.get("rope_type").asText() : s.path("type").asText("default");
        return switch (type) {
            case "default" -> null;
            case "llama3" -> new RopeScaling(type, s.path("factor").asDouble(), s.path("low_freq_factor").asDouble(),
                    s.path("high_freq_factor").asDouble(), s.path("original_max_position_embeddings").asInt());
            case "linear" -> new RopeScaling(type, s.path("factor").asDouble(), 0, 0, 0);
            default -> throw new PeftCoreException("unsupported rope_type " + type
                    + " (supported: default, linear, llama3)", file, null);
        };
    }

    private static int req(JsonNode c, String key, Path file) {
        JsonNode n = c.get(key);
        if (n == null || !n.canConvertToInt()) {
            throw new PeftCoreException("config is missing integer " + key, file, null);
        }
        return n.asInt();
    }

    private static int opt(JsonNode c, String key, int dflt) {
        JsonNode n = c.get(key);
        return n == null || n.isNull() ? dflt : n.asInt();
    }

    private static Integer intOrNull(JsonNode c, String key) {
        JsonNode n = c.get(key);
        return n == null || !n.canConvertToInt() ? null : n.asInt();
    }

    static List<Integer> ints(JsonNode n) {
        List<Integer> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(x -> out.add(x.asInt()));
        } else if (n != null && n.canConvertToInt()) {
            out.add(n.asInt());
        }
        return List.copyOf(out);
    }
}
