package io.peftflow.core.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Checkpoint;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.model.ModelConfig;
import io.peftflow.data.SpecialTokens;
import io.peftflow.data.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checkpoint's {@code tokenizer.json} through DJL's HF tokenizers binding, with what the checkpoint
 * declares around it: special tokens and chat template from {@code tokenizer_config.json}, stop ids from
 * {@code generation_config.json}, and the model's context length as maximum length. It never truncates
 * silently (DJL's default cuts at 512 tokens): callers compare lengths with {@link #maxLength()} and decide.
 */
public final class Tokenizer implements TextTokenizer, AutoCloseable {
    private final HuggingFaceTokenizer hf;
    private final int maxLength;
    private final Map<String, Long> specialIds;
    private final Long bos;
    private final Long eos;
    private final Long pad;
    private final List<Long> stopIds;
    private final String chatTemplate;

    private Tokenizer(HuggingFaceTokenizer hf, int maxLength, Map<String, Long> specialIds, Long bos, Long eos,
                      Long pad, List<Long> stopIds, String chatTemplate) {
        this.hf = hf;
        this.maxLength = maxLength;
        this.specialIds = specialIds;
        this.bos = bos;
        this.eos = eos;
        this.pad = pad;
        this.stopIds = stopIds;
        this.chatTemplate = chatTemplate;
    }

    /** Loads the tokenizer of a checkpoint directory. */
    public static Tokenizer load(Path dir) {
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            return load(ckpt, ModelConfig.parse(ckpt.config(), ckpt.configPath()));
        }
    }

    public static Tokenizer load(Checkpoint ckpt, ModelConfig config) {
        Path file = ckpt.tokenizerJson().orElseThrow(() ->
                new PeftCoreException("checkpoint has no " + Checkpoint.TOKENIZER, ckpt.dir(), null));
        JsonNode tokJson = Json.read(file);
        JsonNode tc = ckpt.tokenizerConfig().orElse(null);
        int maxLength = config.maxPositions();
        if (tc != null && tc.path("model_max_length").canConvertToLong()) {
            // HF writes a huge sentinel when unknown; only a real, smaller limit narrows the model's.
            long declared = tc.path("model_max_length").asLong();
            if (declared > 0 && declared < maxLength) {
                maxLength = (int) declared;
            }
        }
        HuggingFaceTokenizer hf;
        try {
            hf = HuggingFaceTokenizer.builder().optTokenizerPath(file).optMaxLength(maxLength).optTruncation(false)
                    .optPadding(false).optAddSpecialTokens(true).build();
        } catch (IOException | RuntimeException e) {
            throw new PeftCoreException("cannot load tokenizer: " + e.getMessage(), file, null, e);
        }
        Map<String, Long> ids = SpecialTokens.vocabulary(tokJson);
        Long bos = SpecialTokens.id(tc, "bos_token", ids, config.bosTokenId());
        Long eos = SpecialTokens.id(tc, "eos_token", ids, config.eosTokenIds().isEmpty() ? null : config.eosTokenIds().get(0));
        Long pad = SpecialTokens.id(tc, "pad_token", ids, config.padTokenId());
        Set<Long> stops = new LinkedHashSet<>();
        ckpt.generationConfig().ifPresent(g -> intList(g.get("eos_token_id")).forEach(stops::add));
        config.eosTokenIds().forEach(i -> stops.add((long) i));
        if (eos != null) {
            stops.add(eos);
        }
        return new Tokenizer(hf, maxLength, ids, bos, eos, pad, List.copyOf(stops), chatTemplate(tc));
    }

    private static String chatTemplate(JsonNode tc) {
        JsonNode t = tc == null ? null : tc.get("chat_template");
        if (t == null || t.isNull()) {
            return null;
        }
        if (t.isArray()) {
            // Several named templates: "default" is the one transformers applies.
            for (JsonNode named : t) {
                if ("default".equals(named.path("name").asText())) {
                    return named.path("template").asText();
                }
            }
            return t.size() > 0 ? t.get(0).path("template").asText() : null;
        }
        return t.asText();
    }

    private static List<Long> intList(JsonNode n) {
        List<Long> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(x -> out.add(x.asLong()));
        } else if (n != null && n.canConvertToLong()) {
            out.add(n.asLong());
        }
        return out;
    }

    /** Ids with the special tokens the tokenizer's post-processor adds (e.g. Llama's BOS). */
    public long[] encode(String text) {
        return hf.encode(text, true, false).getIds();
    }

    public long[] encode(String text, boolean addSpecialTokens) {
        return hf.encode(text, addSpecialTokens, false).getIds();
    }

    @Override
    public long[] encodeText(String text) {
        return encode(text, false);
    }

    public String decode(long[] ids) {
        return hf.decode(ids, true);
    }

    public String decode(long[] ids, boolean skipSpecialTokens) {
        return hf.decode(ids, skipSpecialTokens);
    }

    /** The model's context length (or a smaller {@code model_max_length} the tokenizer config declares). */
    public int maxLength() {
        return maxLength;
    }

    /** The id of a vocabulary or added token, if any. */
    public Optional<Long> tokenId(String token) {
        return Optional.ofNullable(specialIds.get(token));
    }

    @Override
    public Optional<Long> bosId() {
        return Optional.ofNullable(bos);
    }

    @Override
    public Optional<Long> eosId() {
        return Optional.ofNullable(eos);
    }

    /** The pad id; checkpoints without one usually pad with EOS (the mask hides it anyway). */
    public Optional<Long> padId() {
        return Optional.ofNullable(pad);
    }

    /** Ids that end generation: generation_config's eos_token_id, config's, and the EOS token. */
    public List<Long> stopIds() {
        return stopIds;
    }

    /** The Jinja chat template the checkpoint declares, unrendered. */
    public Optional<String> chatTemplate() {
        return Optional.ofNullable(chatTemplate);
    }

    @Override
    public void close() {
        hf.close();
    }
}
