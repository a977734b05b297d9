package dev.sluice.pipeline;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A node of the parsed spec tree together with its path, with typed accessors whose
 * errors name that path and what was expected. Every read of the spec goes through here,
 * so every error has the same shape.
 */
final class SpecNode {

    private final JsonNode node;
    private final String path;

    SpecNode(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The path of {@code key} under {@code parent}. */
    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /** The path of the {@code index}-th element (0-based) of the list at {@code parent}. */
    static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }

    String path() {
        return path;
    }

    JsonNode json() {
        return node;
    }

    PipelineSpecException error(String problem) {
        return new PipelineSpecException(path, problem);
    }

    boolean isObject() {
        return node.isObject();
    }

    boolean isArray() {
        return node.isArray();
    }

    boolean isText() {
        return node.isTextual();
    }

    boolean isNumber() {
        return node.isNumber();
    }

    /**
     * Checks that this is a mapping whose keys are all among {@code allowed} (in the order
     * they are listed in the message).
     *
     * @param expected what this mapping is, for the message when it is not one
     */
    SpecNode requireObject(String expected, List<String> allowed) {
        if (!node.isObject()) {
            throw error("expected " + expected + ", got " + describe());
        }
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!allowed.contains(key)) {
                throw new PipelineSpecException(child(path, key), "unknown key '" + key + "'; allowed: "
                        + String.join(", ", allowed) + Suggestions.didYouMean(key, allowed));
            }
        }
        return this;
    }

    /** Checks that this is a mapping (of names the spec's author chose). */
    SpecNode requireObject(String expected) {
        if (!node.isObject()) {
            throw error("expected " + expected + ", got " + describe());
        }
        return this;
    }

    /** Whether this mapping has {@code key}. */
    boolean has(String key) {
        return node.has(key);
    }

    /** The value of {@code key}, or {@code null} when absent. */
    SpecNode get(String key) {
        JsonNode value = node.get(key);
        return value == null ? null : new SpecNode(value, child(path, key));
    }

    /** The value of {@code key}, which must be present. */
    SpecNode require(String key, String expected) {
        SpecNode value = get(key);
        if (value == null) {
            throw new PipelineSpecException(child(path, key), "missing; expected " + expected);
        }
        return value;
    }

    /** The entries of this mapping, in the spec's order. */
    List<Map.Entry<String, SpecNode>> entries() {
        List<Map.Entry<String, SpecNode>> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            entries.add(Map.entry(e.getKey(), new SpecNode(e.getValue(), child(path, e.getKey()))));
        }
        return entries;
    }

    /** The elements of this list, which must be one. */
    List<SpecNode> elements(String expected) {
        if (!node.isArray()) {
            throw error("expected " + expected + ", got " + describe());
        }
        List<SpecNode> elements = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            elements.add(new SpecNode(node.get(i), element(path, i)));
        }
        return elements;
    }

    /** This node as a non-empty string. */
    String text(String expected) {
        if (!node.isTextual()) {
            throw error("expected " + expected + ", got " + describe());
        }
        String text = node.textValue();
        if (text.isEmpty()) {
            throw error("expected " + expected + ", got an empty string");
        }
        return text;
    }

    /** This node as a whole number in [min, max]. */
    int integer(int min, int max, String expected) {
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
            throw error("expected " + expected + " (a whole number from " + min + " to " + max + "), got " + describe());
        }
        return node.intValue();
    }

    /** This node as a number: a {@code Long} when it is whole, else a {@code Double}. */
    Number number(String expected) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber() && !node.isIntegralNumber() && Double.isFinite(node.doubleValue())) {
            return node.doubleValue();
        }
        throw error("expected " + expected + ", got " + describe());
    }

    /** Checks that this node is {@code true}, the value of a key that takes no argument. */
    void requireTrue(String key) {
        if (!node.isBoolean() || !node.booleanValue()) {
            throw error("expected true (" + key + " takes no argument; leave the key out to not " + key + "), got "
                    + describe());
        }
    }

    /** This node, as the messages describe it. */
    String describe() {
        return describe(node);
    }

    static String describe(JsonNode node) {
        if (node.isObject()) {
            return node.isEmpty() ? "an empty mapping" : "a mapping";
        }
        if (node.isArray()) {
            return node.isEmpty() ? "an empty list" : "a list";
        }
        if (node.isTextual()) {
            return "the string '" + abbreviate(node.textValue()) + "'";
        }
        if (node.isNumber()) {
            return "the number " + node.asText();
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? "true" : "false";
        }
        if (node.isNull()) {
            return "nothing (null)";
        }
        return "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " value";
    }

    /** {@code text}, cut short so that an error message stays one readable line. */
    static String abbreviate(String text) {
        String oneLine = text.replace("\n", "\\n");
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
    }
}
