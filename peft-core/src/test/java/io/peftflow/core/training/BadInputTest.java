package io.peftflow.core.training;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.index.NDIndex;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.data.EncodedDataset;
import io.peftflow.core.data.OverLongPolicy;
import io.peftflow.core.data.Sequence;
import io.peftflow.core.data.SequenceEncoder;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.core.tuners.TargetModules;
import io.peftflow.core.tuners.lora.LoraConfig;
import io.peftflow.data.Example;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives a clear error (or, for over-long sequences, the configured policy with counts). */
class BadInputTest {
    @TempDir
    Path tmp;

    @Test
    void emptyDatasetOverLongSequencesNanLossAndBadRank() {
        try (TinySetup s = new TinySetup(tmp)) {
            PeftCoreException empty = assertThrows(PeftCoreException.class, () -> s.encoder.encode(List.of()));
            assertTrue(empty.getMessage().contains("dataset is empty"), empty.getMessage());

            List<Example> ex = TinySetup.examples(20, 1);
            int longest = s.encoder.encode(ex).sequences().stream().mapToInt(Sequence::length).max().orElseThrow();
            int limit = longest - 2;
            PeftCoreException fail = assertThrows(PeftCoreException.class,
                    () -> encoder(s, limit, OverLongPolicy.FAIL).encode(ex));
            assertTrue(fail.getMessage().contains("more than the " + limit), fail.getMessage());
            EncodedDataset skipped = encoder(s, limit, OverLongPolicy.SKIP).encode(ex);
            assertTrue(skipped.skipped() > 0 && skipped.size() == 20 - skipped.skipped(), skipped.summary());
            EncodedDataset cut = encoder(s, limit, OverLongPolicy.TRUNCATE).encode(ex);
            assertTrue(cut.truncated() > 0, cut.summary());
            assertTrue(cut.sequences().stream().allMatch(q -> q.length() <= limit && q.labelled() > 0));
            // Cut below the prompt: nothing labelled is left, so the example is dropped and counted.
            PeftCoreException none = assertThrows(PeftCoreException.class,
                    () -> encoder(s, 4, OverLongPolicy.TRUNCATE).encode(ex));
            assertTrue(none.getMessage().contains("empty after encoding"), none.getMessage());

            PeftModel peft = new PeftModel(s.model);
            PeftCoreException rank = assertThrows(PeftCoreException.class,
                    () -> peft.add("bad", new LoraConfig(0, 8, TargetModules.of("q_proj")), 1));
            assertTrue(rank.getMessage().contains("rank"), rank.getMessage());

            peft.add("default", new LoraConfig(4, 8, TargetModules.of("q_proj")), 1);
            peft.trainableParameters().get(0).array().set(new NDIndex("..."), Float.NaN);
            TrainingConfig cfg = TrainingConfig.builder().maxSteps(5).batch(4, 1).build();
            PeftCoreException nan = assertThrows(PeftCoreException.class,
                    () -> new Trainer(peft, cfg, s.pad()).train(s.encoder.encode(ex), null));
            assertTrue(nan.getMessage().contains("diverged at step 1"), nan.getMessage());
        }
    }

    private static SequenceEncoder encoder(TinySetup s, int max, OverLongPolicy policy) {
        return new SequenceEncoder(s.tokenizer, null, max, policy, false);
    }
}
