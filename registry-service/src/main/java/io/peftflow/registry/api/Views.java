package io.peftflow.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.peftflow.registry.catalog.Adapter;
import io.peftflow.registry.catalog.AdapterAlias;
import io.peftflow.registry.catalog.AdapterListing;
import io.peftflow.registry.catalog.AdapterVersion;
import io.peftflow.registry.catalog.AliasMove;
import io.peftflow.registry.catalog.VersionLineage;
import io.peftflow.registry.catalog.VersionTag;
import io.peftflow.registry.promotion.PromotionPolicy;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the API. */
final class Views {
    private Views() {
    }

    record DatasetRef(String name, Integer version) {
    }

    /** An adapter in a listing: its headline version (the champion, else the latest ready one). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AdapterSummary(String name, int latestVersion, Integer champion, Integer version, String status,
                          String method, String baseModel, DatasetRef dataset, Map<String, Double> metrics,
                          OffsetDateTime createdAt) {
        static AdapterSummary of(AdapterListing.Row r) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            if (r.version() != null) {
                metrics.put("exact_match", r.exactMatch());
                metrics.put("macro_exact_match", r.macroExactMatch());
                metrics.put("eval_loss", r.evalLoss());
                metrics.put("perplexity", r.perplexity());
                metrics.put("token_accuracy", r.tokenAccuracy());
            }
            return new AdapterSummary(r.name(), r.latestVersion(), r.champion(), r.version(), r.status(), r.method(),
                    r.baseModel(), r.dataset() == null ? null : new DatasetRef(r.dataset(), r.datasetVersion()),
                    metrics.isEmpty() ? null : metrics, r.createdAt());
        }
    }

    record PolicyView(String metric, String direction, double minImprovement, boolean mustBeatMajority) {
        static PolicyView of(PromotionPolicy p) {
            return new PolicyView(p.metric().wireName(), p.direction().wireName(), p.minImprovement(),
                    p.mustBeatMajority());
        }
    }

    record AdapterDetail(String name, int latestVersion, Map<String, Integer> aliases, PolicyView policy,
                         OffsetDateTime createdAt) {
        static AdapterDetail of(Adapter a, List<AdapterAlias> aliases) {
            Map<String, Integer> byName = new LinkedHashMap<>();
            aliases.forEach(al -> byName.put(al.alias, al.version));
            return new AdapterDetail(a.name, a.lastVersion, byName, PolicyView.of(a.policy()), a.createdAt);
        }
    }

    record Lineage(String jobId, DatasetLineage dataset, BaseModel baseModel, Method method,
                   Map<String, Object> training, Long seed, Map<String, Object> libraries) {
        static Lineage of(VersionLineage l) {
            if (l == null) {
                return null;
            }
            return new Lineage(l.jobId, new DatasetLineage(l.datasetName, l.datasetVersion, l.trainSha256,
                    l.validationSha256), new BaseModel(l.baseModelId, l.baseWeightsSha256),
                    new Method(l.methodName, l.methodConfig), l.training, l.seed, l.libraries);
        }
    }

    record DatasetLineage(String name, Integer version, String trainSha256, String validationSha256) {
    }

    record BaseModel(String id, String weightsSha256) {
    }

    record Method(String name, Map<String, Object> config) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VersionView(String adapter, int version, String status, List<String> aliases, String method,
                       String baseModel, DatasetRef dataset, Long trainableParameters, Integer steps, Long sizeBytes,
                       Map<String, Object> metrics, String promotion, String failureReason,
                       List<Map<String, Object>> files, Lineage lineage, Map<String, String> tags,
                       OffsetDateTime createdAt, OffsetDateTime readyAt, OffsetDateTime archivedAt,
                       OffsetDateTime datasetDeletedAt) {
        static VersionView of(String adapter, AdapterVersion v, List<AdapterAlias> aliases, VersionLineage lineage,
                              List<VersionTag> tags) {
            Map<String, String> tagMap = new LinkedHashMap<>();
            tags.forEach(t -> tagMap.put(t.key, t.value));
            return new VersionView(adapter, v.version, v.status.wireName(),
                    aliases.stream().filter(a -> a.version == v.version).map(a -> a.alias).toList(), v.method,
                    v.baseModel, v.datasetName == null ? null : new DatasetRef(v.datasetName, v.datasetVersion),
                    v.trainableParameters, v.steps, v.sizeBytes, v.metrics, v.promotionReason, v.failureReason,
                    v.files, Lineage.of(lineage), tagMap, v.createdAt, v.readyAt, v.archivedAt, v.datasetDeletedAt);
        }
    }

    /** A version in the versions listing: no lineage, no files. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VersionSummary(int version, String status, String jobId, String method, String baseModel,
                          DatasetRef dataset, Map<String, Object> metrics, String promotion, String failureReason,
                          OffsetDateTime createdAt) {
        static VersionSummary of(AdapterVersion v) {
            return new VersionSummary(v.version, v.status.wireName(), v.jobId, v.method, v.baseModel,
                    v.datasetName == null ? null : new DatasetRef(v.datasetName, v.datasetVersion), v.metrics,
                    v.promotionReason, v.failureReason, v.createdAt);
        }
    }

    record AliasView(String alias, Integer version, List<Move> history) {
    }

    record Move(Integer from, Integer to, String actor, String reason, OffsetDateTime movedAt) {
        static Move of(AliasMove m) {
            return new Move(m.fromVersion, m.toVersion, m.actor, m.reason, m.movedAt);
        }
    }

    /** The differences between two versions. */
    record Comparison(String adapter, VersionSummary a, VersionSummary b, Map<String, Delta> metrics,
                      List<Difference> config, List<Difference> lineage) {
    }

    /** {@code delta} = b - a. */
    record Delta(Double a, Double b, Double delta) {
    }

    record Difference(String field, Object a, Object b) {
    }
}
