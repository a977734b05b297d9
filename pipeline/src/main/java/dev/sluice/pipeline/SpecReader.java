package dev.sluice.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.nio.charset.StandardCharsets;

/**
 * Reads a spec's text (YAML, or JSON) into a tree, within the size and depth limits. Only
 * Jackson's tree model is used — no data binding — so nothing here needs reflection, and
 * the reader works the same in a native image.
 */
final class SpecReader {

    private final SpecLimits limits;
    private final ObjectMapper yaml;
    private final ObjectMapper json;

    SpecReader(SpecLimits limits) {
        this.limits = limits;
        StreamReadConstraints constraints = StreamReadConstraints.builder().maxNestingDepth(limits.maxDepth()).build();
        // A key written twice is an error rather than "the last one wins": the author meant one of them.
        this.yaml = new ObjectMapper(YAMLFactory.builder().streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
        this.json = new ObjectMapper(JsonFactory.builder().streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    }

    /** The spec's tree. */
    SpecNode read(String text) {
        checkSize(text);
        String start = text.stripLeading();
        JsonNode root;
        if (start.startsWith("{")) {
            // JSON is (nearly) YAML, but YAML refuses tabs, which pretty-printed JSON often has: read
            // JSON as JSON, and fall back to YAML for a flow mapping such as {sources: {...}}.
            try {
                root = json.readTree(text);
            } catch (JsonProcessingException jsonError) {
                try {
                    root = yaml.readTree(text);
                } catch (JsonProcessingException yamlError) {
                    throw start.startsWith("{\"") ? syntaxError("JSON", jsonError) : syntaxError("YAML", yamlError);
                }
            }
        } else {
            try {
                root = yaml.readTree(text);
            } catch (JsonProcessingException e) {
                throw syntaxError("YAML", e);
            }
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new PipelineSpecException("", "the spec is empty: expected a mapping with sources, streams and outputs");
        }
        return new SpecNode(root, "");
    }

    private void checkSize(String text) {
        // A char is at least one UTF-8 byte, so a text this long is too large without encoding it.
        long bytes = text.length() > limits.maxBytes() ? text.length()
                : text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxBytes()) {
            throw new PipelineSpecException("", "the spec is " + (text.length() > limits.maxBytes() ? "over " : "")
                    + bytes + " bytes, more than the limit of " + limits.maxBytes() + " bytes");
        }
    }

    private PipelineSpecException syntaxError(String language, JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return new PipelineSpecException("", "the spec nests mappings and lists more than " + limits.maxDepth()
                    + " levels deep, the limit");
        }
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Duplicate field ") && e.getProcessor() instanceof JsonParser parser) {
            String key = message.substring("Duplicate field ".length()).replace("'", "");
            return new PipelineSpecException(path(parser.getParsingContext()),
                    "the key '" + key + "' is written twice in the same mapping");
        }
        if (e.getCause() instanceof MarkedYAMLException yamlError && yamlError.getProblemMark() != null) {
            StringBuilder sb = new StringBuilder("not valid YAML: ").append(yamlError.getProblem())
                    .append(at(yamlError.getProblemMark()));
            if (yamlError.getContext() != null && yamlError.getContextMark() != null) {
                sb.append(", ").append(yamlError.getContext()).append(" that starts").append(at(yamlError.getContextMark()));
            }
            return new PipelineSpecException("", sb.toString().replace("\t", "\\t"));
        }
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        String firstLine = message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
        return new PipelineSpecException("", "not valid " + language + ": " + firstLine + where);
    }

    private static String at(Mark mark) {
        return " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    /** The spec path of where a parser is, e.g. {@code streams.words.map} or {@code outputs[1].stream}. */
    private static String path(JsonStreamContext context) {
        if (context == null || context.inRoot()) {
            return "";
        }
        String parent = path(context.getParent());
        if (context.inArray()) {
            return SpecNode.element(parent, Math.max(context.getCurrentIndex(), 0));
        }
        return context.getCurrentName() == null ? parent : SpecNode.child(parent, context.getCurrentName());
    }
}
