package io.peftflow.core.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.data.Example;
import io.peftflow.data.ExampleFormat;
import io.peftflow.data.PromptTemplate;
import io.peftflow.data.TextTokenizer;
import io.peftflow.data.Turn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What serving needs to know of the data an adapter was trained on: its prompt template and, for classifier-style
 * data, the labels. A label's continuation is tokenised exactly as training's trained run was: the response
 * ({@code prefix} + label, e.g. {@code " dining"}), the template's assistant suffix, then EOS.
 *
 * @param template the prompt template training rendered examples with
 * @param prefix   what every response put before its label (the leading space of a completion)
 * @param labels   the distinct trimmed labels of the training split, in first-seen order; empty for generative data
 */
public record LabelSet(PromptTemplate template, String prefix, List<String> labels) {
    /** The most labels a split may have and still count as classification data. */
    public static final int MAX_LABELS = 1000;

    public LabelSet {
        labels = List.copyOf(labels);
    }

    /**
     * The label set of a training split: its examples' format's default template, and their distinct labels when the
     * data is classifier-style (2 to {@value #MAX_LABELS} labels, each seen twice on average, every response the
     * label after one shared prefix).
     */
    public static LabelSet of(List<Example> train) {
        if (train.isEmpty()) {
            throw new PeftCoreException("no training examples to take a label set from");
        }
        PromptTemplate template = PromptTemplate.defaultFor(train.get(0).format());
        Set<String> labels = new LinkedHashSet<>();
        String response = train.get(0).response();
        String prefix = response.substring(0, response.length() - response.stripLeading().length());
        boolean classifier = true;
        for (Example e : train) {
            labels.add(e.classLabel());
            classifier &= e.response().equals(prefix + e.classLabel());
        }
        classifier &= labels.size() >= 2 && labels.size() <= MAX_LABELS && labels.size() * 2 <= train.size();
        return new LabelSet(template, prefix, classifier ? new ArrayList<>(labels) : List.of());
    }

    public boolean classifies() {
        return !labels.isEmpty();
    }

    /** Each label's tokens: the trained run of a response that is the label, then EOS. */
    public List<long[]> continuations(TextTokenizer tokenizer) {
        long eos = tokenizer.eosId().orElseThrow(() -> new PeftCoreException("the tokenizer has no EOS token"));
        List<long[]> out = new ArrayList<>(labels.size());
        for (String label : labels) {
            long[] text = tokenizer.encodeText(prefix + label + template.assistantSuffix());
            long[] ids = Arrays.copyOf(text, text.length + 1);
            ids[text.length] = eos;
            out.add(ids);
        }
        return out;
    }

    /** BOS and {@code turns} rendered up to where the assistant's answer starts, as generation sees a prompt. */
    public long[] promptIds(TextTokenizer tokenizer, List<Turn> turns) {
        List<Turn> all = new ArrayList<>(turns);
        all.add(new Turn(Turn.ASSISTANT, ""));
        return tokenizer.encodePrompt(template.renderPrompt(new Example(ExampleFormat.CHAT, all, null)));
    }

    /** The manifest's {@code serving} section. */
    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode().put("prompt_template", template.name()).put("label_prefix", prefix);
        labels.forEach(o.putArray("labels")::add);
        return o;
    }

    /** Reads a manifest's {@code serving} section; empty when the manifest predates it. */
    public static Optional<LabelSet> fromManifest(JsonNode manifest) {
        JsonNode s = manifest.path("serving");
        if (s.isMissingNode()) {
            return Optional.empty();
        }
        String name = s.path("prompt_template").asText();
        PromptTemplate template = PromptTemplate.named(name).orElseThrow(() -> new PeftCoreException(
                "manifest names an unknown prompt template '" + name + "'"));
        List<String> labels = new ArrayList<>();
        s.path("labels").forEach(l -> labels.add(l.asText()));
        return Optional.of(new LabelSet(template, s.path("label_prefix").asText(""), labels));
    }
}
