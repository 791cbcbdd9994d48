package io.peftflow.registry.evaluation;

import io.peftflow.data.Sha256;
import io.peftflow.events.dataset.ContentHashes;
import io.peftflow.kit.problem.Problem;
import io.peftflow.kit.problem.ProblemException;
import io.peftflow.registry.catalog.Adapter;
import io.peftflow.registry.catalog.AdapterRepository;
import io.peftflow.registry.catalog.AdapterVersion;
import io.peftflow.registry.catalog.VersionStatus;
import io.peftflow.registry.promotion.PromotionPolicy;
import io.peftflow.registry.storage.AdapterObjects;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a dataset version can be an adapter's pinned evaluation set: dataset-service announced it, it is not
 * deleted, and its validation split shares no example (by content: the stored content hashes, normalised as the
 * duplicate check normalises) with the training split of a version it would measure — a set the model was trained on
 * measures memory, not quality.
 */
@ApplicationScoped
public class EvaluationSets {
    private final DatasetVersions datasets;
    private final AdapterRepository adapters;
    private final AdapterObjects objects;

    public EvaluationSets(DatasetVersions datasets, AdapterRepository adapters, AdapterObjects objects) {
        this.datasets = datasets;
        this.adapters = adapters;
        this.objects = objects;
    }

    /** 422 naming {@code evaluationSet} unless {@code set} can measure every ready version of the adapter. */
    @Transactional
    public void check(String tenant, String adapterName, PromotionPolicy.PinnedSet set) {
        DatasetVersions.Known known = usable(tenant, set).orElseThrow();
        long[] evaluation = validationHashes(known);
        Optional<Adapter> adapter = adapters.findByName(tenant, adapterName);
        if (adapter.isEmpty()) {
            return;
        }
        List<AdapterVersion> ready = AdapterVersion.list("adapter = ?1 and status = ?2 order by version",
                adapter.get(), VersionStatus.READY);
        for (AdapterVersion v : ready) {
            overlap(tenant, v, set, evaluation).ifPresent(reason -> {
                throw refused(reason);
            });
        }
    }

    /**
     * Why {@code v} cannot be measured on the pinned {@code set} (its training split shares examples with it, or the
     * set is gone), if it cannot; for a challenger registered after the set was pinned.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> refusal(String tenant, AdapterVersion v, PromotionPolicy.PinnedSet set) {
        try {
            DatasetVersions.Known known = usable(tenant, set).orElseThrow();
            return overlap(tenant, v, set, validationHashes(known));
        } catch (ProblemException e) {
            return Optional.of(e.getMessage());
        }
    }

    private Optional<DatasetVersions.Known> usable(String tenant, PromotionPolicy.PinnedSet set) {
        String name = "dataset '" + set.dataset() + "' version " + set.version();
        DatasetVersions.Known known = datasets.find(tenant, set.dataset(), set.version()).orElseThrow(() ->
                refused(name + " is not known: dataset-service has not announced it"));
        if (known.deletedAt() != null) {
            throw refused(name + " was deleted at " + known.deletedAt());
        }
        if (known.validationHashesUri() == null) {
            throw refused(name + " was stored without content hashes, so its overlap with training data cannot be"
                    + " checked; upload it again to pin it");
        }
        return Optional.of(known);
    }

    private Optional<String> overlap(String tenant, AdapterVersion v, PromotionPolicy.PinnedSet set,
                                     long[] evaluation) {
        if (v.datasetName == null || v.datasetVersion == null) {
            return Optional.empty();
        }
        Optional<DatasetVersions.Known> trained = datasets.find(tenant, v.datasetName, v.datasetVersion);
        if (trained.isEmpty() || trained.get().trainHashesUri() == null) {
            return Optional.of("version " + v.version + " was trained on dataset '" + v.datasetName + "' version "
                    + v.datasetVersion + ", whose content hashes are not known here: its overlap with the evaluation"
                    + " set cannot be checked");
        }
        long[] train = read(trained.get().trainHashesUri(), trained.get().trainHashesSha256());
        long shared = evaluation.length - ContentHashes.absent(evaluation, train);
        return shared == 0 ? Optional.empty() : Optional.of("dataset '" + set.dataset() + "' version " + set.version()
                + " shares " + shared + " of its " + evaluation.length + " validation examples with the training split"
                + " of version " + v.version + " (dataset '" + v.datasetName + "' version " + v.datasetVersion + ")");
    }

    private long[] validationHashes(DatasetVersions.Known k) {
        return read(k.validationHashesUri(), k.validationHashesSha256());
    }

    private long[] read(String uri, String sha256) {
        try (InputStream in = objects.open(uri).orElseThrow(() -> refused("content hashes " + uri + " are missing"))) {
            byte[] bytes = in.readAllBytes();
            if (sha256 != null && !Sha256.hex(bytes).equals(sha256)) {
                throw refused("content hashes " + uri + " do not have their announced SHA-256");
            }
            return ContentHashes.decode(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + uri, e);
        }
    }

    private static ProblemException refused(String reason) {
        return new ProblemException(Problem.of(Problem.UNPROCESSABLE_CONTENT, reason)
                .withErrors(List.of(Map.of("field", "evaluationSet", "reason", reason))));
    }
}
