package io.peftflow.core.tiny;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.tokenizer.Tokenizer;
import java.nio.file.Path;

/**
 * Writes the tiny model plus peft-core's token ids and logits for it, for reference/check_tiny.py to compare
 * against transformers (not a unit test: transformers runs on the GPU machine only).
 */
public final class TinyModelExport {
    static final String[] TEXTS = {"Description: STARBUCKS coffee latte $4.50\nCategory:", "naïve café ✓ 2024-03-15",
        "<|user|>\nHello<|end|>\n<|assistant|>\n"};

    private TinyModelExport() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = TinyModel.write(Path.of(args[0]));
        ObjectNode out = Json.MAPPER.createObjectNode();
        try (CausalLM model = Models.load(dir, LoadOptions.cpu()); Tokenizer tok = Tokenizer.load(dir);
             NDManager step = model.manager().newSubManager()) {
            ArrayNode enc = out.putArray("encodings");
            for (String t : TEXTS) {
                ArrayNode ids = enc.addObject().put("text", t).putArray("ids");
                for (long id : tok.encode(t)) {
                    ids.add(id);
                }
            }
            long[] ids = tok.encode(TEXTS[0]);
            float[] logits = model.forward(step.create(ids, new Shape(1, ids.length))).toFloatArray();
            ArrayNode l = out.putArray("logits");
            for (float f : logits) {
                l.add(f);
            }
        }
        Json.MAPPER.writeValue(dir.resolve("java_expected.json").toFile(), out);
        System.out.println("wrote " + dir);
    }
}
