package io.peftflow.core.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.data.EncodedDataset;
import io.peftflow.core.data.Examples;
import io.peftflow.core.data.OverLongPolicy;
import io.peftflow.core.data.Sequence;
import io.peftflow.core.data.SequenceEncoder;
import io.peftflow.core.evaluation.Evaluator;
import io.peftflow.core.evaluation.ExactMatch;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.data.Example;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Benchmark helper (not a test): writes a validation file as {@code TrainingRun} evaluates it — each example's ids and
 * labels (-100: no loss), its generation prompt, reference answer and the run's new-token budget — so that HF PEFT can
 * recompute peft-core's eval loss and exact match on exactly the same tokens ({@code bench/train-throughput/
 * peft_resume_check.py}). LoRA only (no virtual tokens), the run's defaults (context of the tokenizer, truncation).
 * {@code EvalSetDump MODEL_DIR VALIDATION.jsonl OUT.jsonl}
 */
public final class EvalSetDump {
    private EvalSetDump() {
    }

    public static void main(String[] args) throws Exception {
        List<Example> examples = Examples.read(Path.of(args[1]));
        try (Tokenizer tok = Tokenizer.load(Path.of(args[0]));
             BufferedWriter out = Files.newBufferedWriter(Path.of(args[2]))) {
            SequenceEncoder encoder = new SequenceEncoder(tok, null, tok.maxLength(), OverLongPolicy.TRUNCATE, false);
            EncodedDataset encoded = encoder.encode(examples);
            int newTokens = Evaluator.answerTokens(encoder, examples);
            for (Sequence s : encoded.sequences()) {
                Example e = examples.get(s.source());
                ObjectNode line = Json.MAPPER.createObjectNode();
                line.set("ids", longs(s.ids()));
                line.set("labels", longs(s.labels()));
                line.set("prompt_ids", longs(encoder.promptIds(e)));
                line.put("answer", ExactMatch.answer(e));
                line.put("label", e.classLabel());
                line.put("max_new_tokens", newTokens);
                line.set("stop_ids", Json.MAPPER.valueToTree(tok.stopIds()));
                out.write(Json.MAPPER.writeValueAsString(line));
                out.newLine();
            }
            System.out.println("RESULT wrote " + encoded.sequences().size() + " of " + examples.size()
                    + " examples to " + args[2]);
        }
    }

    private static ArrayNode longs(long[] values) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (long v : values) {
            a.add(v);
        }
        return a;
    }
}
