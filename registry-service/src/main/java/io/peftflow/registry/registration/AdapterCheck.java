package io.peftflow.registry.registration;

import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.model.ModelConfig;
import io.peftflow.core.run.TrainingRun;
import io.peftflow.core.tuners.AdapterFiles;
import io.peftflow.registry.storage.AdapterObjects;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The registration-time check, without loading weights: the staged adapter's config and safetensors header against
 * its base model's {@code config.json} (from the models bucket), with peft-core's own readers and target matching.
 */
@ApplicationScoped
public class AdapterCheck {
    private final AdapterObjects objects;

    public AdapterCheck(AdapterObjects objects) {
        this.objects = objects;
    }

    /**
     * Passes, or throws {@link RegistrationRejected} saying what does not fit, by file and tensor. Adapters are checked
     * under the name peft-core's training runs save them with (bottleneck keys contain it).
     */
    public void check(StagedAdapter staged, String baseModel) {
        if (baseModel == null || baseModel.isBlank()) {
            throw new RegistrationRejected("the job names no base model");
        }
        Path config = staged.dir().resolve("base-config.json.tmp");
        try (InputStream in = objects.baseConfig(baseModel).orElseThrow(() -> new RegistrationRejected(
                "base model '" + baseModel + "' has no config.json at " + objects.baseConfigUri(baseModel)))) {
            Files.copy(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage " + objects.baseConfigUri(baseModel), e);
        }
        try {
            ModelConfig base = ModelConfig.parse(Json.read(config), config);
            AdapterFiles.verify(staged.dir(), base, TrainingRun.ADAPTER_NAME);
        } catch (PeftCoreException e) {
            throw new RegistrationRejected("does not fit base model '" + baseModel + "': "
                    + e.getMessage().replace(staged.dir() + "/", "").replace("base-config.json.tmp",
                    objects.baseConfigUri(baseModel)));
        } finally {
            try {
                Files.deleteIfExists(config);
            } catch (IOException ignored) {
                // removed with the staging directory
            }
        }
    }
}
