package io.peftflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * Built-in Kubernetes kinds against the Kubernetes 1.32 OpenAPI, through the models of Kubernetes' own Java client
 * 23.x (io.kubernetes:client-java-api, generated from that OpenAPI). Their {@code validateJsonElement} rejects a
 * field the schema does not declare, a missing required field and a value of the wrong JSON type, recursively.
 */
final class KubernetesSchemas {
    private static final String MODELS = "io.kubernetes.client.openapi.models.";

    private KubernetesSchemas() {
    }

    static List<String> problems(JsonNode doc) {
        String apiVersion = doc.path("apiVersion").asText();
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        return model(Character.toUpperCase(version.charAt(0)) + version.substring(1) + doc.path("kind").asText(), doc);
    }

    /** One value against a model, e.g. {@code V1JobSpec}; a model missing from 1.32 is a problem too. */
    static List<String> model(String modelName, JsonNode value) {
        Method validate;
        try {
            validate = Class.forName(MODELS + modelName).getMethod("validateJsonElement", JsonElement.class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return List.of("no " + modelName + " in the Kubernetes 1.32 API");
        }
        try {
            validate.invoke(null, JsonParser.parseString(value.toString()));
            return List.of();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof ClassCastException wrongType) {
                // The generated code reads a list before checking that it is one.
                return List.of(modelName + ": a field holds a value of the wrong JSON type (" + wrongType.getMessage() + ")");
            }
            return List.of(modelName + ": " + withoutJson(e.getCause().getMessage()));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The generated messages end with the whole offending object; the field name before it is what matters. */
    private static String withoutJson(String message) {
        int json = message.indexOf(" JSON: ");
        return json < 0 ? message : message.substring(0, json);
    }
}
