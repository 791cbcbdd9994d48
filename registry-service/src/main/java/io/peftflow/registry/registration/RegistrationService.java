package io.peftflow.registry.registration;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.peftflow.events.adapter.AdapterRegistrationFailed;
import io.peftflow.events.adapter.AdapterVersionRegistered;
import io.peftflow.events.contract.ResourceName;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.registry.RegistryConfig;
import io.peftflow.registry.catalog.Adapter;
import io.peftflow.registry.catalog.AdapterAlias;
import io.peftflow.registry.catalog.AdapterRepository;
import io.peftflow.registry.catalog.AdapterVersion;
import io.peftflow.registry.catalog.AliasMove;
import io.peftflow.registry.catalog.AliasService;
import io.peftflow.registry.catalog.VersionLineage;
import io.peftflow.registry.catalog.VersionRepository;
import io.peftflow.registry.catalog.VersionStatus;
import io.peftflow.registry.evaluation.PromotionEvaluations;
import io.peftflow.registry.events.AdapterEvents;
import io.peftflow.registry.promotion.Promoter;
import io.peftflow.registry.storage.AdapterObjects;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * Registers a succeeded training job as the next version of its adapter, idempotently per job id:
 * <ol>
 *   <li>stage: refuse an event naming files outside its job's own prefix ({@link ForgedEvent}: nothing recorded),
 *       download the trainer's files, check sizes and SHA-256 against the event, check the adapter against its base
 *       model's config (headers only);</li>
 *   <li>reserve (one transaction, adapter row locked): the next number, the version row with its lineage —
 *       {@code failed_registration} with the reason and its event when staging rejected it;</li>
 *   <li>copy the files to {@code s3://<bucket>/<tenant>/<adapter>/v<N>/};</li>
 *   <li>complete (one transaction): ready, {@code challenger}, the promotion decision — or, against a champion, the
 *       request of the evaluation job that measures both on one set ({@link PromotionEvaluations}) — the events.</li>
 * </ol>
 * A crash after 2 leaves the version registering; the redelivered event finds it and finishes it.
 */
@ApplicationScoped
public class RegistrationService {
    private static final Logger LOG = Logger.getLogger(RegistrationService.class);
    /** Records into the jsonb columns' plain maps. */
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final AdapterRepository adapters;
    private final VersionRepository versions;
    private final AliasService aliases;
    private final AdapterObjects objects;
    private final AdapterCheck check;
    private final StackCheck stackCheck;
    private final AdapterEvents events;
    private final PromotionEvaluations evaluations;
    private final Path workDir;
    private final String checkpointsBucket;
    /** {@code peftflow_registrations_failed_total}: PrometheusRule PeftflowRegistrationFailures alerts on its rate. */
    private final Counter failedRegistrations;

    public RegistrationService(AdapterRepository adapters, VersionRepository versions, AliasService aliases,
                               AdapterObjects objects, AdapterCheck check, StackCheck stackCheck, AdapterEvents events,
                               PromotionEvaluations evaluations, RegistryConfig config, MeterRegistry meters) {
        this.adapters = adapters;
        this.versions = versions;
        this.aliases = aliases;
        this.objects = objects;
        this.check = check;
        this.stackCheck = stackCheck;
        this.events = events;
        this.evaluations = evaluations;
        this.workDir = config.workDir().orElse(Path.of(System.getProperty("java.io.tmpdir")));
        this.checkpointsBucket = config.checkpointsBucket();
        this.failedRegistrations = Counter.builder("peftflow.registrations.failed")
                .description("Adapter versions that failed registration (failed_registration)").register(meters);
    }

    /**
     * The version of {@code job} (a {@link JobSucceeded#validate() valid} event): registered now, or earlier by a
     * previous delivery of the same event; null when its adapter name is one no adapter can have (refused, with its
     * event: there is no adapter to hold a {@code failed_registration} version).
     */
    public AdapterVersion register(JobSucceeded job) {
        if (!ResourceName.valid(job.adapterName())) {
            String reason = ResourceName.message("adapter_name", job.adapterName());
            LOG.warnf("job %s/%s failed registration: %s", job.tenant(), job.jobId(), reason);
            QuarkusTransaction.requiringNew().run(() -> events.announce(new AdapterRegistrationFailed(job.tenant(),
                    job.adapterName(), 0, job.jobId(), reason, OffsetDateTime.now())));
            return null;
        }
        Optional<AdapterVersion> known = QuarkusTransaction.requiringNew().call(() ->
                versions.findByJob(job.tenant(), job.jobId()));
        if (known.isPresent() && known.get().status != VersionStatus.REGISTERING) {
            return known.get();
        }
        StagedAdapter staged = null;
        String rejected = null;
        try {
            staged = StagedAdapter.fetch(job, objects, workDir, checkpointsBucket);
            check.check(staged, baseModel(job));
            stackCheck.check(job, baseModel(job));
        } catch (RegistrationRejected e) {
            rejected = e.getMessage();
        }
        try {
            String reason = rejected;
            AdapterVersion version = QuarkusTransaction.requiringNew().call(() -> reserve(job, reason));
            if (version.status != VersionStatus.REGISTERING) {
                return version;
            }
            for (JobSucceeded.StoredFile f : staged.files()) {
                objects.put(job.tenant(), job.adapterName(), version.version, staged.file(f.name()), f.sha256());
            }
            return QuarkusTransaction.requiringNew().call(() -> complete(version.id, job));
        } finally {
            if (staged != null) {
                staged.close();
            }
        }
    }

    private AdapterVersion reserve(JobSucceeded job, String rejected) {
        Adapter adapter = adapters.lockOrCreate(job.tenant(), job.adapterName());
        Optional<AdapterVersion> existing = versions.findByJob(job.tenant(), job.jobId());
        if (existing.isPresent()) {
            AdapterVersion v = existing.get();
            if (v.status == VersionStatus.REGISTERING && rejected != null) {
                fail(adapter, v, rejected);
            }
            return v;
        }
        AdapterVersion v = new AdapterVersion();
        v.adapter = adapter;
        v.tenant = job.tenant();
        v.version = ++adapter.lastVersion;
        v.jobId = job.jobId();
        v.method = methodName(job);
        v.baseModel = baseModel(job);
        if (job.lineage() != null && job.lineage().dataset() != null) {
            v.datasetName = job.lineage().dataset().name();
            v.datasetVersion = job.lineage().dataset().version();
        }
        v.datasetDeletedAt = job.lineage() == null ? null : job.lineage().datasetDeletedAt();
        v.trainableParameters = job.trainableParameters();
        v.steps = job.steps();
        v.sizeBytes = StagedAdapter.filesOf(job).stream().mapToLong(JobSucceeded.StoredFile::bytes).sum();
        if (job.metrics() != null) {
            v.metrics = JSON.convertValue(job.metrics(), MAP);
            var tuned = job.metrics().tuned();
            if (tuned != null) {
                v.exactMatch = tuned.exactMatch();
                v.macroExactMatch = tuned.macroExactMatch();
                v.evalLoss = tuned.evalLoss();
                v.perplexity = tuned.perplexity();
                v.tokenAccuracy = tuned.tokenAccuracy();
            }
        }
        v.files = StagedAdapter.filesOf(job).stream().map(f -> fileEntry(f, rejected == null
                ? objects.uri(job.tenant(), job.adapterName(), v.version, f.name()) : f.uri())).toList();
        v.createdAt = OffsetDateTime.now();
        v.status = VersionStatus.REGISTERING;
        v.persist();
        lineage(v, job).persist();
        if (rejected != null) {
            fail(adapter, v, rejected);
        }
        return v;
    }

    private void fail(Adapter adapter, AdapterVersion v, String reason) {
        LOG.warnf("adapter %s/%s v%d (job %s) failed registration: %s", adapter.tenant, adapter.name, v.version,
                v.jobId, reason);
        v.status = VersionStatus.FAILED_REGISTRATION;
        v.failureReason = reason;
        failedRegistrations.increment();
        events.announce(new AdapterRegistrationFailed(adapter.tenant, adapter.name, v.version, v.jobId, reason,
                OffsetDateTime.now()));
    }

    private AdapterVersion complete(long versionId, JobSucceeded job) {
        Adapter adapter = adapters.lock(job.tenant(), job.adapterName()).orElseThrow();
        AdapterVersion v = versions.findById(versionId);
        if (v.status != VersionStatus.REGISTERING) {
            return v;
        }
        try {
            // again, under the layers' locks: a layer archived since staging leaves nothing to serve the version on
            stackCheck.check(job, v.baseModel);
        } catch (RegistrationRejected e) {
            fail(adapter, v, e.getMessage());
            return v;
        }
        v.status = VersionStatus.READY;
        v.readyAt = OffsetDateTime.now();
        Optional<AdapterVersion> champion = aliases.find(adapter, AdapterAlias.CHAMPION)
                .flatMap(a -> versions.findVisible(adapter, a.version));
        Promoter.Decision decision = v.datasetDeletedAt != null
                ? Promoter.Decision.refused("not promoted: trained on dataset " + v.datasetName + " v"
                        + v.datasetVersion + ", deleted at " + v.datasetDeletedAt)
                : champion.isEmpty() ? Promoter.decideFirst(adapter.policy(), job.metrics())
                : evaluations.request(adapter, v, champion.get());
        v.promotionReason = decision.reason();
        if (champion.isEmpty()) {
            adapter.headlineVersionId = v.id;
        }
        events.announce(new AdapterVersionRegistered(adapter.tenant, adapter.name, v.version, v.jobId, v.method,
                v.baseModel, job.lineage() == null ? null : job.lineage().dataset(), job.metrics(),
                v.files.stream().map(RegistrationService::storedFile).toList(),
                decision.promote() ? AdapterAlias.CHAMPION : AdapterAlias.CHALLENGER, decision.reason(), v.readyAt));
        aliases.move(adapter, AdapterAlias.CHALLENGER, v, AliasMove.POLICY, "new version");
        if (decision.promote()) {
            aliases.move(adapter, AdapterAlias.CHAMPION, v, AliasMove.POLICY, decision.reason());
        }
        LOG.infof("registered %s/%s v%d (job %s): %s", adapter.tenant, adapter.name, v.version, v.jobId,
                decision.reason());
        return v;
    }

    private static VersionLineage lineage(AdapterVersion v, JobSucceeded job) {
        VersionLineage l = new VersionLineage();
        l.versionId = v.id;
        l.jobId = job.jobId();
        JobSucceeded.Lineage in = job.lineage();
        if (in != null) {
            if (in.dataset() != null) {
                l.datasetName = in.dataset().name();
                l.datasetVersion = in.dataset().version();
                l.trainSha256 = in.dataset().trainSha256();
                l.validationSha256 = in.dataset().validationSha256();
            }
            if (in.baseModel() != null) {
                l.baseModelId = in.baseModel().id();
                l.baseWeightsSha256 = in.baseModel().weightsSha256();
            }
            if (in.method() != null) {
                l.methodName = in.method().name();
                l.methodConfig = in.method().config() == null ? null : JSON.convertValue(in.method().config(), MAP);
            }
            l.training = in.training() == null ? null : JSON.convertValue(in.training(), MAP);
            l.seed = in.seed();
            if (in.parent() != null) {
                l.parentAdapter = in.parent().adapter();
                l.parentVersion = in.parent().version();
            }
            l.libraries = in.libraries() == null ? null : JSON.convertValue(in.libraries(), MAP);
            l.stackedOn = StackCheck.of(job);
        }
        return l;
    }

    private static Map<String, Object> fileEntry(JobSucceeded.StoredFile f, String uri) {
        return Map.of("name", f.name(), "uri", String.valueOf(uri), "sha256", String.valueOf(f.sha256()),
                "bytes", f.bytes());
    }

    private static JobSucceeded.StoredFile storedFile(Map<String, Object> f) {
        return new JobSucceeded.StoredFile((String) f.get("name"), (String) f.get("uri"), (String) f.get("sha256"),
                ((Number) f.get("bytes")).longValue());
    }

    private static String baseModel(JobSucceeded job) {
        return job.lineage() == null || job.lineage().baseModel() == null ? null : job.lineage().baseModel().id();
    }

    private static String methodName(JobSucceeded job) {
        return job.lineage() == null || job.lineage().method() == null ? null : job.lineage().method().name();
    }
}
