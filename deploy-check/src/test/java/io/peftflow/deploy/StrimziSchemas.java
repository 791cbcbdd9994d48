package io.peftflow.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.strimzi.crdgenerator.annotations.Crd;
import io.strimzi.crdgenerator.annotations.PresentInVersions;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

import java.beans.Introspector;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strimzi's resources against Strimzi's own API model (io.strimzi:api, the classes its CRDs are generated from), as
 * kafka.strimzi.io/v1: a property the model marks as present only in older versions fails too.
 * The model keeps a field it does not know in {@code additionalProperties} instead of failing, as fabric8's
 * Kubernetes types inside it do; the walk below fails on any non-empty one. Values of the wrong type or enum fail
 * while binding, with scalar coercion (e.g. "3" for 3) turned off.
 */
final class StrimziSchemas {
    static final String GROUP = "kafka.strimzi.io";
    private static final String VERSION = "v1";
    private static final String API_VERSION = GROUP + "/" + VERSION;

    private static final Map<String, Class<? extends HasMetadata>> KINDS =
            Map.of("Kafka", Kafka.class, "KafkaNodePool", KafkaNodePool.class, "KafkaTopic", KafkaTopic.class,
                    "KafkaUser", KafkaUser.class);

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .withCoercionConfigDefaults(c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .build();

    private StrimziSchemas() {
    }

    static List<String> problems(JsonNode doc) {
        Class<? extends HasMetadata> type = KINDS.get(doc.path("kind").asText());
        if (type == null) {
            return List.of("no kind " + doc.path("kind").asText() + " in deploy-check's Strimzi kinds " + KINDS.keySet());
        }
        HasMetadata resource;
        try {
            resource = MAPPER.treeToValue(doc, type);
        } catch (JsonMappingException e) {
            return List.of(e.getPathReference() + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            return List.of(e.getOriginalMessage());
        }
        List<String> found = new ArrayList<>();
        if (!doc.path("apiVersion").asText().equals(API_VERSION)) {
            found.add("apiVersion " + doc.path("apiVersion").asText() + ": peftflow targets " + API_VERSION
                    + ", the only version Strimzi 1.x serves");
        }
        Crd crd = type.getAnnotation(Crd.class);
        if (Arrays.stream(crd.spec().versions()).noneMatch(v -> v.name().equals(VERSION) && v.served())) {
            found.add("Strimzi " + type.getSimpleName() + " does not serve " + VERSION);
        }
        walk(resource, "", found, Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    /** Reports every model object below {@code value} that kept fields its schema does not declare. */
    private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, found, seen));
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!pkg.startsWith("io.strimzi.api") && !pkg.startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
                continue;
            }
            Object child = invoke(getter, value);
            String field = Introspector.decapitalize(getter.getName().substring(3));
            PresentInVersions present = getter.getAnnotation(PresentInVersions.class);
            if (child != null && present != null && !present.value().contains(VERSION)) {
                found.add(path.substring(Math.min(1, path.length())) + (path.isEmpty() ? "" : ".") + field
                        + ": not in " + API_VERSION + " (only in " + present.value() + ")");
            }
            if (field.equals("additionalProperties")) {
                if (child instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                    unknown.keySet().forEach(k -> found.add((path.isEmpty() ? "" : path.substring(1) + ".") + k
                            + ": unknown field (not in Strimzi's " + value.getClass().getSimpleName() + ")"));
                }
            } else {
                walk(child, path + "." + field, found, seen);
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }
}
