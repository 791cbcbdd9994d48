package io.peftflow.core.tiny;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trains a GPT-2 style byte-level BPE on a small corpus and writes it as a Hugging Face {@code tokenizer.json}.
 * Every byte has a token, so any text (ASCII or not) encodes without unknowns and decodes losslessly; merges
 * learned from the corpus make common words one or two tokens. Deterministic: ties go to the smallest pair.
 */
final class ByteLevelBpe {
    /** GPT-2's pre-tokenizer split, the same the HF ByteLevel pre-tokenizer applies. */
    private static final Pattern SPLIT = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");
    private static final char[] BYTE_TO_CHAR = byteToChar();

    private final List<String> specials;
    private final Map<String, Integer> vocab = new LinkedHashMap<>();
    private final List<String[]> merges = new ArrayList<>();

    ByteLevelBpe(List<String> specials, String corpus, int vocabSize) {
        this.specials = specials;
        specials.forEach(s -> vocab.put(s, vocab.size()));
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(BYTE_TO_CHAR[b]), vocab.size());
        }
        train(corpus, vocabSize);
    }

    /** GPT-2's reversible map from bytes to printable unicode characters. */
    private static char[] byteToChar() {
        char[] map = new char[256];
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            printable[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable[b] = true;
        }
        int next = 256;
        for (int b = 0; b < 256; b++) {
            map[b] = printable[b] ? (char) b : (char) next++;
        }
        return map;
    }

    private static List<String> symbols(String word) {
        List<String> out = new ArrayList<>();
        for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
            out.add(String.valueOf(BYTE_TO_CHAR[b & 0xff]));
        }
        return out;
    }

    private void train(String corpus, int vocabSize) {
        Map<String, Integer> wordCounts = new TreeMap<>();
        Matcher m = SPLIT.matcher(corpus);
        while (m.find()) {
            wordCounts.merge(m.group(), 1, Integer::sum);
        }
        List<List<String>> words = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        wordCounts.forEach((w, c) -> {
            words.add(symbols(w));
            counts.add(c);
        });
        while (vocab.size() < vocabSize) {
            Map<String, Integer> pairs = new HashMap<>();
            for (int i = 0; i < words.size(); i++) {
                List<String> w = words.get(i);
                for (int j = 0; j + 1 < w.size(); j++) {
                    pairs.merge(w.get(j) + " " + w.get(j + 1), counts.get(i), Integer::sum);
                }
            }
            String best = null;
            // Pairs seen once still merge: the corpus is small, and its words (merchant names) should stay whole.
            int bestCount = 0;
            for (Map.Entry<String, Integer> e : pairs.entrySet()) {
                int c = e.getValue();
                if (c > bestCount || (c == bestCount && best != null && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestCount = c;
                }
            }
            if (best == null) {
                break; // every corpus word is a single token already
            }
            String[] pair = best.split(" ", 2);
            String merged = pair[0] + pair[1];
            merges.add(pair);
            vocab.putIfAbsent(merged, vocab.size());
            for (List<String> w : words) {
                for (int j = 0; j + 1 < w.size(); j++) {
                    if (w.get(j).equals(pair[0]) && w.get(j + 1).equals(pair[1])) {
                        w.set(j, merged);
                        w.remove(j + 1);
                    }
                }
            }
        }
    }

    int vocabSize() {
        return vocab.size();
    }

    /** The {@code tokenizer.json} document; {@code bos} is prepended to every single sequence, as Llama does. */
    ObjectNode toJson(String bos) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String s : specials) {
            added.addObject().put("id", vocab.get(s)).put("content", s).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        post.putArray("single").add(special(f, bos)).add(sequence(f, "A"));
        post.putArray("pair").add(special(f, bos)).add(sequence(f, "A")).add(special(f, bos)).add(sequence(f, "B"));
        ObjectNode st = post.putObject("special_tokens").putObject(bos);
        st.put("id", bos);
        st.putArray("ids").add(vocab.get(bos));
        st.putArray("tokens").add(bos);
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        ArrayNode mergeNode = model.putArray("merges");
        merges.forEach(p -> mergeNode.add(p[0] + " " + p[1]));
        return root;
    }

    private static ObjectNode special(JsonNodeFactory f, String token) {
        ObjectNode n = f.objectNode();
        n.putObject("SpecialToken").put("id", token).put("type_id", 0);
        return n;
    }

    private static ObjectNode sequence(JsonNodeFactory f, String id) {
        ObjectNode n = f.objectNode();
        n.putObject("Sequence").put("id", id).put("type_id", 0);
        return n;
    }
}
