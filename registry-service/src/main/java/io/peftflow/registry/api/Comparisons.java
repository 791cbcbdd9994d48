package io.peftflow.registry.api;

import io.peftflow.registry.catalog.AdapterService;
import io.peftflow.registry.catalog.AdapterVersion;
import io.peftflow.registry.catalog.VersionLineage;
import io.peftflow.registry.promotion.Metric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** {@code compare?a=&b=}: metric deltas, differences in the method's config and in lineage. */
final class Comparisons {
    private Comparisons() {
    }

    static Views.Comparison compare(String adapter, AdapterService.VersionDetail a, AdapterService.VersionDetail b,
                                    Views.Chains chains) {
        Map<String, Views.Delta> metrics = new LinkedHashMap<>();
        for (Metric m : Metric.values()) {
            Double x = m.of(a.version().tuned());
            Double y = m.of(b.version().tuned());
            metrics.put(m.wireName(), new Views.Delta(x, y, x == null || y == null ? null : y - x));
        }
        VersionLineage la = a.lineage() == null ? new VersionLineage() : a.lineage();
        VersionLineage lb = b.lineage() == null ? new VersionLineage() : b.lineage();
        List<Views.Difference> config = new ArrayList<>();
        differences("", la.methodConfig, lb.methodConfig, config);
        List<Views.Difference> lineage = new ArrayList<>();
        difference("jobId", la.jobId, lb.jobId, lineage);
        difference("dataset.name", la.datasetName, lb.datasetName, lineage);
        difference("dataset.version", la.datasetVersion, lb.datasetVersion, lineage);
        difference("dataset.trainSha256", la.trainSha256, lb.trainSha256, lineage);
        difference("dataset.validationSha256", la.validationSha256, lb.validationSha256, lineage);
        difference("baseModel.id", la.baseModelId, lb.baseModelId, lineage);
        difference("baseModel.weightsSha256", la.baseWeightsSha256, lb.baseWeightsSha256, lineage);
        difference("method.name", la.methodName, lb.methodName, lineage);
        difference("seed", la.seed, lb.seed, lineage);
        difference("parent.version", la.parentVersion, lb.parentVersion, lineage);
        difference("stackedOn", Views.layers(la), Views.layers(lb), lineage);
        differences("training.", la.training, lb.training, lineage);
        differences("libraries.", la.libraries, lb.libraries, lineage);
        return new Views.Comparison(adapter, Views.VersionSummary.of(a.version()), Views.VersionSummary.of(b.version()),
                metrics, sameSet(a.version(), b.version()), config, lineage, chains);
    }

    /** The decision of one version that measured the other beside it on one set, if there is one. */
    private static Map<String, Object> sameSet(AdapterVersion a, AdapterVersion b) {
        if (b.decision != null && Objects.equals(b.decision.get("championVersion"), a.version)) {
            return b.decision;
        }
        if (a.decision != null && Objects.equals(a.decision.get("championVersion"), b.version)) {
            return a.decision;
        }
        return null;
    }

    private static void differences(String prefix, Map<String, Object> a, Map<String, Object> b,
                                    List<Views.Difference> out) {
        Map<String, Object> x = a == null ? Map.of() : a;
        Map<String, Object> y = b == null ? Map.of() : b;
        TreeSet<String> keys = new TreeSet<>(x.keySet());
        keys.addAll(y.keySet());
        for (String k : keys) {
            difference(prefix + k, x.get(k), y.get(k), out);
        }
    }

    private static void difference(String field, Object a, Object b, List<Views.Difference> out) {
        if (!Objects.equals(a, b)) {
            out.add(new Views.Difference(field, a, b));
        }
    }
}
