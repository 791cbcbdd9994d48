package io.peftflow.trainer.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tuners.PeftMethods;
import io.peftflow.events.training.TrainingSettings;
import io.peftflow.trainer.jobs.Recipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The rules' choices for the embedded model and the TinyLlama-1.1B and Llama-2-7B shapes are the README's table, row
 * for row, for every registered method: the tiny model's settings cannot leak into real sizes unnoticed.
 */
class AutoSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path llama(String name, int hidden, int layers, int heads, int kv, int inter) throws Exception {
        Path file = tmp.resolve(name + ".json");
        Files.writeString(file, String.format("{\"architectures\":[\"LlamaForCausalLM\"],\"hidden_size\":%d,"
                + "\"num_hidden_layers\":%d,\"num_attention_heads\":%d,\"num_key_value_heads\":%d,"
                + "\"intermediate_size\":%d,\"vocab_size\":32000,\"max_position_embeddings\":2048}",
                hidden, layers, heads, kv, inter));
        return file;
    }

    /** The README's rows, by "method | size". */
    private static Map<String, List<String>> table() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String body = readme.substring(readme.indexOf("<!-- auto-settings"), readme.indexOf("<!-- end auto-settings"));
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            if (!line.startsWith("| ") || line.startsWith("| method") || line.startsWith("| ---")) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String c : line.substring(1, line.length() - 1).split(" \\| ")) {
                cells.add(c.trim().replace("`", ""));
            }
            rows.put(cells.get(0) + " | " + cells.get(1), cells);
        }
        return rows;
    }

    @Test
    void theRulesAreTheReadmesTable() throws Exception {
        Map<String, List<String>> table = table();
        Map<Path, AutoSettings.Size> models = Map.of(
                TinyModel.write(tmp.resolve("tiny")).resolve("config.json"), AutoSettings.Size.TINY,
                llama("tinyllama-1.1b", 2048, 22, 32, 4, 5632), AutoSettings.Size.SMALL,
                llama("llama-2-7b", 4096, 32, 32, 32, 11008), AutoSettings.Size.LARGE);
        int checked = 0;
        for (var model : models.entrySet()) {
            long parameters = AutoSettings.parameters(model.getKey());
            for (String method : PeftMethods.names()) {
                AutoSettings.Rule rule = AutoSettings.rule(method, parameters);
                assertEquals(model.getValue(), rule.size(), model.getKey() + ": " + parameters + " parameters");
                List<String> row = table.get(method + " | " + rule.size().label());
                assertNotNull(row, "README row for " + method + " at " + rule.size().label());
                assertEquals(Double.parseDouble(row.get(2)), rule.learningRate(), 1e-12, row.toString());
                assertEquals(Integer.parseInt(row.get(3)), rule.batchSize(), row.toString());
                assertEquals(JSON.readTree(row.get(4)), rule.hyperparameters(), row.toString());
                checked++;
            }
        }
        assertEquals(3 * PeftMethods.names().size(), checked);
        assertEquals(checked, table.size(), "every README row is a rule");
    }

    @Test
    void whatAJobSetsStaysTheRestIsChosen() throws Exception {
        long parameters = AutoSettings.parameters(llama("tinyllama-1.1b", 2048, 22, 32, 4, 5632));
        JsonNode own = JSON.readTree("{\"r\": 4, \"lora_alpha\": \"auto\"}");
        Recipe r = AutoSettings.resolve(new Recipe("tinyllama", "lora", own,
                new TrainingSettings(200, null, null, null, null, null, null), 1, "a", null, null), parameters);
        assertEquals(JSON.readTree("{\"r\": 4, \"lora_alpha\": 16, \"lora_dropout\": 0.05, "
                + "\"target_modules\": [\"q_proj\", \"v_proj\"]}"), r.hyperparameters());
        assertEquals(new TrainingSettings(200, null, 8, 2e-4, 20, null, null), r.training());

        Recipe epochs = AutoSettings.resolve(new Recipe("tinyllama", "seq_bn", null,
                new TrainingSettings(null, null, 4, 1e-3, null, null, null), 1, "a", null, null), parameters);
        assertEquals(new TrainingSettings(null, AutoSettings.AUTO_EPOCHS, 4, 1e-3, 10, null, null), epochs.training());

        // A warm start's automatic learning rate is a tenth of the cold one.
        Recipe warm = AutoSettings.resolve(new Recipe("tinyllama", "lora", null,
                new TrainingSettings(200, null, null, null, null, null, null), 1, "a",
                io.peftflow.trainer.jobs.InitFrom.champion("a"), null), parameters);
        assertEquals(2e-5, warm.training().learningRate(), 1e-15);
    }
}
