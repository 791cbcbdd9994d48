package io.peftflow.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Parses one JSONL line into an {@link Example}, or says why it is not one. Token streaming (no tree), so a
 * line costs one pass; duplicate keys and nesting beyond the limit are rejected by the parser itself.
 * Unknown top-level keys are allowed and skipped. Thread-safe.
 */
public final class ExampleParser {
    private final JsonFactory factory;
    private final int maxNestingDepth;
    /** Field values of the line being parsed; reused per thread to keep the hot loop allocation-light. */
    private final ThreadLocal<Fields> fields = ThreadLocal.withInitial(Fields::new);

    public ExampleParser(ParserLimits limits) {
        this.maxNestingDepth = limits.maxNestingDepth();
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxNestingDepth())
                        .maxStringLength(limits.maxLineBytes())
                        .build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /** Parses {@code len} bytes of UTF-8 at {@code off}: one line without its line break. */
    public ParsedLine parse(long line, byte[] bytes, int off, int len) {
        try (JsonParser p = factory.createParser(bytes, off, len)) {
            String problem = readObject(p);
            if (problem != null) {
                return new ParsedLine.Invalid(line, problem);
            }
            if (p.nextToken() != null) {
                return new ParsedLine.Invalid(line, "more than one JSON value on the line");
            }
            return fields.get().toExample(line);
        } catch (StreamConstraintsException e) {
            return new ParsedLine.Invalid(line, "JSON nested deeper than " + maxNestingDepth + " levels");
        } catch (JsonParseException e) {
            return new ParsedLine.Invalid(line, jsonError(e));
        } catch (IOException e) {
            // A byte array source cannot fail to read; whatever Jackson throws is about the content.
            return new ParsedLine.Invalid(line, "unreadable line: " + e.getMessage());
        }
    }

    private String readObject(JsonParser p) throws IOException {
        Fields f = fields.get();
        f.clear();
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return "not a JSON object";
        }
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            String problem = switch (name) {
                case "instruction", "input", "output", "question", "answer", "prompt", "completion" ->
                        f.putString(name, p, value);
                case "label" -> f.putLabel(p, value);
                case "messages" -> readMessages(p, value, f);
                default -> {
                    p.skipChildren();
                    yield null;
                }
            };
            if (problem != null) {
                return problem;
            }
        }
        return t == JsonToken.END_OBJECT ? null : "not a JSON object";
    }

    private static String readMessages(JsonParser p, JsonToken value, Fields f) throws IOException {
        f.messagesSeen = true;
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return "field 'messages' must be an array, got " + describe(value);
        }
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                return where(f) + " must be an object, got " + describe(t);
            }
            String role = null;
            String content = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("role") || name.equals("content")) {
                    if (v != JsonToken.VALUE_STRING) {
                        p.skipChildren();
                        return where(f) + "." + name + " must be a string, got " + describe(v);
                    }
                    if (name.equals("role")) {
                        role = p.getText();
                    } else {
                        content = p.getText();
                        String problem = invalidUnicode(content);
                        if (problem != null) {
                            return where(f) + ".content holds " + problem;
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (role == null) {
                return where(f) + " has no 'role'";
            }
            if (!Turn.isRole(role)) {
                return where(f) + ".role must be one of system, user, assistant, got '" + abbreviate(role) + "'";
            }
            if (content == null) {
                return where(f) + " has no 'content'";
            }
            if (content.isBlank()) {
                return where(f) + ".content is empty";
            }
            f.addTurn(new Turn(role, content));
        }
        return null;
    }

    /** The message being read, for error messages (built only when there is an error). */
    private static String where(Fields f) {
        return "messages[" + f.turnCount + "]";
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> t.asString();
        };
    }

    /**
     * Why {@code s} is not text a tokenizer can take, or null: a lone surrogate (JSON lets an escaped one such as
     * "&#92;ud800" through; Jackson itself rejects one encoded in UTF-8 bytes) is no Unicode scalar value, and a
     * noncharacter (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF) is reserved for a program's internal use, never text.
     * Characters below U+D800 take one comparison, so this costs little next to parsing.
     */
    static String invalidUnicode(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < Character.MIN_SURROGATE) {
                continue;
            }
            int start = i;
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint(c, s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                return String.format("invalid Unicode: a lone surrogate \\u%04X at character %d", cp,
                        s.codePointCount(0, start) + 1);
            }
            if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
                return String.format("invalid Unicode: the noncharacter U+%04X at character %d", cp,
                        s.codePointCount(0, start) + 1);
            }
        }
        return null;
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    /** Jackson's message without its source excerpt (which would echo the caller's data back in reports). */
    private static String jsonError(JsonParseException e) {
        String m = e.getOriginalMessage();
        if (m != null && m.startsWith("Duplicate field")) {
            return "duplicate key " + m.substring("Duplicate field".length()).trim();
        }
        if (m != null && (m.contains("UTF-8") || m.contains("UTF8"))) {
            return "invalid UTF-8: " + m;
        }
        return "malformed JSON at column " + e.getLocation().getColumnNr() + ": " + m;
    }

    /** The values one line declares, collected in one pass, validated together once the object is closed. */
    private static final class Fields {
        String instruction, input, output, question, answer, prompt, completion, label;
        boolean messagesSeen;
        Turn[] turns = new Turn[4];
        int turnCount;

        void clear() {
            instruction = input = output = question = answer = prompt = completion = label = null;
            messagesSeen = false;
            turnCount = 0;
        }

        void addTurn(Turn turn) {
            if (turnCount == turns.length) {
                turns = Arrays.copyOf(turns, turnCount * 2);
            }
            turns[turnCount++] = turn;
        }

        String putString(String name, JsonParser p, JsonToken value) throws IOException {
            if (value != JsonToken.VALUE_STRING) {
                p.skipChildren();
                return "field '" + name + "' must be a string, got " + describe(value);
            }
            String text = p.getText();
            String problem = invalidUnicode(text);
            if (problem != null) {
                return "field '" + name + "' holds " + problem;
            }
            switch (name) {
                case "instruction" -> instruction = text;
                case "input" -> input = text;
                case "output" -> output = text;
                case "question" -> question = text;
                case "answer" -> answer = text;
                case "prompt" -> prompt = text;
                default -> completion = text;
            }
            return null;
        }

        /** Labels may be strings, numbers or booleans (class ids are often ints); they become text. */
        String putLabel(JsonParser p, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_STRING || value.isNumeric() || value.isBoolean()) {
                label = p.getText();
                String problem = invalidUnicode(label);
                if (problem != null) {
                    return "field 'label' holds " + problem;
                }
                return label.isBlank() ? "field 'label' is empty" : null;
            }
            p.skipChildren();
            return "field 'label' must be a string, number or boolean, got " + describe(value);
        }

        ParsedLine toExample(long line) {
            ExampleFormat format = null;
            for (ExampleFormat candidate : ExampleFormat.values()) {
                if (has(candidate.signature())) {
                    if (format != null) {
                        return new ParsedLine.Invalid(line, "ambiguous format: both '" + format.signature()
                                + "' and '" + candidate.signature() + "' present");
                    }
                    format = candidate;
                }
            }
            if (format == null) {
                return new ParsedLine.Invalid(line, "no known format: expected keys " + ExampleFormat.describeAll());
            }
            for (String key : format.required()) {
                if (!has(key)) {
                    return new ParsedLine.Invalid(line, "missing field '" + key + "'");
                }
            }
            List<Turn> result;
            switch (format) {
                case CHAT -> {
                    if (turnCount == 0) {
                        return new ParsedLine.Invalid(line, "field 'messages' is empty");
                    }
                    if (!hasAssistant()) {
                        return new ParsedLine.Invalid(line, "messages have no assistant turn");
                    }
                    result = List.of(Arrays.copyOf(turns, turnCount));
                }
                case INSTRUCTION -> {
                    String problem = firstEmpty("instruction", instruction, "output", output);
                    if (problem != null) {
                        return new ParsedLine.Invalid(line, problem);
                    }
                    String user = input == null || input.isBlank() ? instruction : instruction + "\n\n" + input;
                    result = List.of(new Turn(Turn.USER, user), new Turn(Turn.ASSISTANT, output));
                }
                case QUESTION_ANSWER -> {
                    String problem = firstEmpty("question", question, "answer", answer);
                    if (problem != null) {
                        return new ParsedLine.Invalid(line, problem);
                    }
                    result = List.of(new Turn(Turn.USER, question), new Turn(Turn.ASSISTANT, answer));
                }
                default -> {
                    String problem = firstEmpty("prompt", prompt, "completion", completion);
                    if (problem != null) {
                        return new ParsedLine.Invalid(line, problem);
                    }
                    result = List.of(new Turn(Turn.USER, prompt), new Turn(Turn.ASSISTANT, completion));
                }
            }
            return new ParsedLine.Valid(line, new Example(format, result, label));
        }

        private boolean hasAssistant() {
            for (int i = 0; i < turnCount; i++) {
                if (turns[i].isAssistant()) {
                    return true;
                }
            }
            return false;
        }

        private boolean has(String key) {
            return switch (key) {
                case "messages" -> messagesSeen;
                case "instruction" -> instruction != null;
                case "output" -> output != null;
                case "question" -> question != null;
                case "answer" -> answer != null;
                case "prompt" -> prompt != null;
                case "completion" -> completion != null;
                default -> false;
            };
        }

        private static String firstEmpty(String name1, String value1, String name2, String value2) {
            if (value1.isBlank()) {
                return "field '" + name1 + "' is empty";
            }
            return value2.isBlank() ? "field '" + name2 + "' is empty" : null;
        }
    }
}
