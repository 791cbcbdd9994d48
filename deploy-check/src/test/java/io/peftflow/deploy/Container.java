package io.peftflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One container as deployed: in a rendered overlay (any pod template — Deployment, StatefulSet, Job, KEDA's
 * ScaledJob) or a docker-compose service, with the environment it gets (values where the manifest states them).
 *
 * @param where  "local", "production" or "compose"
 * @param owner  the workload ("Deployment/gateway", "ScaledJob/trainer-worker-gpu") or compose service
 * @param image  the image reference
 * @param env    every variable set, directly or through envFrom; null values come from a Secret
 * @param spec   the container (k8s) or the service (compose)
 * @param pod    the pod spec (k8s only)
 */
record Container(String where, String owner, String image, Map<String, String> env, JsonNode spec, JsonNode pod) {

    private static final String OUR_IMAGES = "peftflow/";

    /** The module an image of ours is built from (peftflow/<module>:<tag>). */
    Optional<String> module() {
        if (!image.startsWith(OUR_IMAGES)) {
            return Optional.empty();
        }
        String rest = image.substring(OUR_IMAGES.length());
        return Optional.of(rest.contains(":") ? rest.substring(0, rest.indexOf(':')) : rest);
    }

    String name() {
        return owner.substring(owner.indexOf('/') + 1);
    }

    @Override
    public String toString() {
        return where + " " + owner;
    }

    /** Every container of every overlay and of compose. */
    static List<Container> everywhere() {
        List<Container> all = new ArrayList<>();
        Repository.overlays().forEach(o -> all.addAll(inOverlay(o)));
        all.addAll(inCompose());
        return all;
    }

    static List<Container> inOverlay(String overlay) {
        List<JsonNode> docs = Repository.rendered(overlay);
        List<Container> out = new ArrayList<>();
        for (JsonNode doc : docs) {
            String owner = doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText();
            podSpecs(doc).forEach(pod -> {
                for (String list : List.of("initContainers", "containers")) {
                    pod.path(list).forEach(c -> out.add(new Container(overlay, owner, c.path("image").asText(),
                            env(c, docs), c, pod)));
                }
            });
        }
        return out;
    }

    static List<Container> inCompose() {
        List<Container> out = new ArrayList<>();
        Repository.composeConfig().path("services").properties().forEach(s -> {
            Map<String, String> env = new LinkedHashMap<>();
            s.getValue().path("environment").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
            out.add(new Container("compose", "service/" + s.getKey(), s.getValue().path("image").asText(), env,
                    s.getValue(), null));
        });
        return out;
    }

    /** Every pod spec in a document: the template of a workload, at whatever depth its kind puts it. */
    private static List<JsonNode> podSpecs(JsonNode node) {
        List<JsonNode> found = new ArrayList<>();
        if (node.isObject()) {
            if (node.path("containers").isArray()) {
                found.add(node);
            } else {
                node.forEach(child -> found.addAll(podSpecs(child)));
            }
        }
        return found;
    }

    private static Map<String, String> env(JsonNode container, List<JsonNode> docs) {
        Map<String, String> env = new LinkedHashMap<>();
        container.path("envFrom").forEach(from -> {
            String kind = from.has("configMapRef") ? "ConfigMap" : "Secret";
            String name = from.path(from.has("configMapRef") ? "configMapRef" : "secretRef").path("name").asText();
            docs.stream().filter(d -> d.path("kind").asText().equals(kind)
                            && d.path("metadata").path("name").asText().equals(name))
                    .forEach(d -> {
                        d.path("data").properties().forEach(e -> env.put(e.getKey(), kind.equals("ConfigMap") ? e.getValue().asText() : null));
                        d.path("stringData").properties().forEach(e -> env.put(e.getKey(), null));
                    });
        });
        container.path("env").forEach(e -> env.put(e.path("name").asText(),
                e.has("value") ? e.path("value").asText() : null));
        return env;
    }
}
