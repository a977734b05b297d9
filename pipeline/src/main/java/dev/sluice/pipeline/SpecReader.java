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

import java.util.regex.Pattern;

/**
 * Reads a spec's text (YAML, or JSON) into a tree, within the size and depth limits. Only
 * Jackson's tree model is used — no data binding — so nothing here needs reflection, and
 * the reader works the same in a native image.
 */
final class SpecReader {

    /** How Jackson names a location inside its messages, with the source it does not show. */
    private static final Pattern SOURCE_LOCATION = Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");

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
        long bytes = utf8Length(text);
        if (bytes > limits.maxBytes()) {
            throw new PipelineSpecException("", "the spec is " + bytes + " bytes, more than the limit of "
                    + limits.maxBytes() + " bytes");
        }
    }

    /** The length of {@code text} in UTF-8, without encoding it (a rejected spec may be large). */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
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
        String firstLine = message == null ? e.getClass().getSimpleName()
                : SOURCE_LOCATION.matcher(message.lines().findFirst().orElse(message)).replaceAll("line $1, column $2");
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
