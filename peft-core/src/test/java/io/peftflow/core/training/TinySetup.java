package io.peftflow.core.training;

import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.HalfOnCpu;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.data.EncodedDataset;
import io.peftflow.core.data.OverLongPolicy;
import io.peftflow.core.data.SequenceEncoder;
import io.peftflow.data.Example;
import io.peftflow.data.sample.TransactionDataset;
import java.nio.file.Path;
import java.util.List;

/** The embedded tiny model and the generated transaction data, shared by the training tests. */
final class TinySetup implements AutoCloseable {
    final Path dir;
    final CausalLM model;
    final Tokenizer tokenizer;
    final SequenceEncoder encoder;

    TinySetup(Path tmp) {
        this(tmp, false);
    }

    /** {@code half}: the base in float16 (the CUDA path's dtypes: fp16 activations, dynamic loss scaling). */
    TinySetup(Path tmp, boolean half) {
        dir = TinyModel.write(tmp.resolve("tiny"));
        model = half ? HalfOnCpu.load(dir) : Models.load(dir, LoadOptions.cpu());
        tokenizer = Tokenizer.load(dir);
        encoder = new SequenceEncoder(tokenizer, null, tokenizer.maxLength(), OverLongPolicy.FAIL, false);
    }

    static List<Example> examples(int n, long seed) {
        return TransactionDataset.generate(n, seed).stream().map(TransactionDataset.Transaction::toExample).toList();
    }

    EncodedDataset encode(List<Example> examples) {
        return encoder.encode(examples);
    }

    long pad() {
        return tokenizer.padId().orElse(0L);
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
