package io.peftflow.kit.problem;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What a request body of the wrong shape gets told (an array where an object belongs, a string for a number):
 * the field as the request spells it ({@code evaluation_set.version}, {@code inputs[2]}, or {@code body} for the
 * whole document) and the JSON kind expected there, never the server's class names.
 */
public final class BodyShape {
    private BodyShape() {
    }

    public static FieldError of(MismatchedInputException e) {
        return new FieldError(field(e.getPath()), "expected " + kind(e.getTargetType()));
    }

    static String field(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                field.append('[').append(r.getIndex()).append(']');
            }
        }
        return field.isEmpty() ? "body" : field.toString();
    }

    static String kind(Class<?> type) {
        if (type == null) {
            return "another JSON value";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type == String.class || type == char.class || type == Character.class || type.isEnum()) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        return Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.") ? "an object"
                : "another JSON value";
    }
}
