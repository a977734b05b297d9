package dev.sluice.pipeline;

import dev.sluice.api.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses a pipeline spec (YAML or JSON text) into a checked {@link PipelineSpec}, or fails
 * with a {@link PipelineSpecException} naming the path of the first bad field. The spec
 * language is described in {@code docs/pipeline.md}. Thread-safe; the result depends on
 * the text alone, so every process that parses the same text gets the same pipeline.
 */
public final class SpecParser {

    static final List<String> TOP_KEYS = List.of("sources", "streams", "outputs");
    static final List<String> SOURCE_KINDS = List.of("socket", "dir", "http", "kafka", "arg");
    static final List<String> KAFKA_KEYS = List.of("servers", "topics", "options");
    /** The operations, in the order the messages list them. */
    static final List<String> OPERATIONS = List.of("flatMap", "map", "filter", "pair", "countByValue", "count",
            "reduceByKey", "state", "join");
    static final List<String> STREAM_KEYS = List.of("from", "union", "flatMap", "map", "filter", "pair",
            "countByValue", "count", "reduceByKey", "state", "join", "window", "partitions");
    /** The operations that shuffle, and so take {@code partitions}. */
    static final List<String> SHUFFLES = List.of("reduceByKey", "countByValue", "state", "join");
    /** The operations that {@code window} turns into their windowed variant. */
    static final List<String> WINDOWED = List.of("reduceByKey", "countByValue", "count");
    static final List<String> FILTER_KEYS = List.of("regex", "not-regex", "at-least", "at-most");
    static final List<String> PAIR_KEYS = List.of("key", "value", "split");
    static final List<String> WINDOW_KEYS = List.of("length", "slide");
    static final List<String> OUTPUT_KEYS = List.of("stream", "print", "saveAsTextFiles");
    static final List<String> SAVE_KEYS = List.of("prefix", "suffix");

    static final int MAX_PARTITIONS = 10_000;
    static final int MAX_PRINT = 10_000;
    static final int MAX_FIELD = 1_000;
    static final int DEFAULT_PRINT = 10;
    static final Pattern DEFAULT_SPLIT = Pattern.compile("\\s+");

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final Pattern FIELD = Pattern.compile("\\$(\\d+)");
    private static final Pattern HTTP_PATH = Pattern.compile("[A-Za-z0-9_-]+");
    private static final String NAME_RULE = "a name of letters, digits, '_' and '-', starting with a letter, "
            + "at most 64 characters";
    private static final String SOURCE_FORMS = "a source: {socket: \"host:port\"}, {dir: /path}, {http: name}, "
            + "{kafka: {servers: ..., topics: [...]}} or {arg: <job argument>}";

    private final SpecLimits limits;
    private final SpecReader reader;

    /** The limits this parser enforces. */
    public SpecLimits limits() {
        return limits;
    }

    /** A parser with the default {@link SpecLimits}. */
    public SpecParser() {
        this(SpecLimits.DEFAULTS);
    }

    public SpecParser(SpecLimits limits) {
        this.limits = limits;
        this.reader = new SpecReader(limits);
    }

    /**
     * Parses and checks {@code text}.
     *
     * @throws PipelineSpecException naming the path of the first bad field
     */
    public PipelineSpec parse(String text) {
        SpecNode root = reader.read(text).requireObject("a mapping with sources, streams and outputs", TOP_KEYS);
        SpecNode sourcesNode = root.require("sources", "a mapping of source names to sources, e.g. "
                + "{lines: {socket: \"localhost:9999\"}}").requireObject("a mapping of source names to sources");
        if (sourcesNode.entries().isEmpty()) {
            throw sourcesNode.error("expected at least one source, got an empty mapping");
        }
        SpecNode streamsNode = root.get("streams");
        int count = sourcesNode.entries().size();
        if (streamsNode != null) {
            streamsNode.requireObject("a mapping of stream names to streams");
            count += streamsNode.entries().size();
        }
        if (count > limits.maxStreams()) {
            throw new PipelineSpecException(streamsNode != null ? streamsNode.path() : sourcesNode.path(),
                    count + " sources and streams, more than the limit of " + limits.maxStreams());
        }
        List<SourceSpec> sources = new ArrayList<>();
        for (Map.Entry<String, SpecNode> e : sourcesNode.entries()) {
            sources.add(source(checkName(e.getKey(), e.getValue()), e.getValue()));
        }
        List<StreamSpec> streams = new ArrayList<>();
        if (streamsNode != null) {
            for (Map.Entry<String, SpecNode> e : streamsNode.entries()) {
                streams.add(stream(checkName(e.getKey(), e.getValue()), e.getValue()));
            }
        }
        SpecNode outputsNode = root.require("outputs", "a list of outputs, e.g. [{stream: counts, print: 10}]");
        List<SpecNode> outputElements = outputsNode.elements("a list of outputs, e.g. [{stream: counts, print: 10}]");
        if (outputElements.isEmpty()) {
            throw outputsNode.error("expected at least one output, got an empty list: a pipeline without outputs "
                    + "would compute nothing");
        }
        if (outputElements.size() > limits.maxStreams()) {
            throw outputsNode.error(outputElements.size() + " outputs, more than the limit of " + limits.maxStreams());
        }
        List<OutputSpec> outputs = new ArrayList<>();
        for (SpecNode o : outputElements) {
            outputs.add(output(o));
        }
        return new SpecChecker(sources, streams, outputs).check();
    }

    private static String checkName(String name, SpecNode node) {
        if (!NAME.matcher(name).matches()) {
            throw node.error("'" + SpecNode.abbreviate(name) + "' is not a valid name: expected " + NAME_RULE);
        }
        return name;
    }

    // ------------------------------------------------------------------------------- sources

    private static SourceSpec source(String name, SpecNode node) {
        node.requireObject(SOURCE_FORMS, SOURCE_KINDS);
        List<Map.Entry<String, SpecNode>> kinds = node.entries();
        if (kinds.size() != 1) {
            throw node.error("expected exactly one of " + String.join(", ", SOURCE_KINDS) + ", got "
                    + (kinds.isEmpty() ? "none" : String.join(", ", kinds.stream().map(Map.Entry::getKey).toList())));
        }
        String kind = kinds.get(0).getKey();
        SpecNode value = kinds.get(0).getValue();
        return switch (kind) {
            case "socket" -> socket(name, node.path(), value);
            case "dir" -> new SourceSpec.Dir(name, node.path(), value.text("a directory path"));
            case "http" -> {
                String path = value.text("an ingest path (letters, digits, '-' and '_')");
                if (!HTTP_PATH.matcher(path).matches()) {
                    throw value.error("expected an ingest path of letters, digits, '-' and '_', got '"
                            + SpecNode.abbreviate(path) + "'");
                }
                yield new SourceSpec.Http(name, node.path(), path);
            }
            case "kafka" -> kafka(name, node.path(), value);
            default -> new SourceSpec.Arg(name, node.path(), value.text("the name of a job argument"));
        };
    }

    private static SourceSpec socket(String name, String path, SpecNode value) {
        String hostPort = value.text("\"host:port\"");
        int colon = hostPort.lastIndexOf(':');
        String host = colon > 0 ? hostPort.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = -1;
        try {
            port = colon > 0 ? Integer.parseInt(hostPort.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            // Reported below.
        }
        if (host.isBlank() || port < 1 || port > 65535) {
            throw value.error("expected \"host:port\" with a port from 1 to 65535, got '"
                    + SpecNode.abbreviate(hostPort) + "'");
        }
        return new SourceSpec.Socket(name, path, host, port);
    }

    private static SourceSpec kafka(String name, String path, SpecNode value) {
        value.requireObject("{servers: \"host:port,...\", topics: [topic, ...], options: {...}}", KAFKA_KEYS);
        String servers = value.require("servers", "the bootstrap servers, \"host:port[,host:port...]\"")
                .text("the bootstrap servers, \"host:port[,host:port...]\"");
        SpecNode topicsNode = value.require("topics", "a list of topics, e.g. [clicks]");
        List<String> topics = new ArrayList<>();
        for (SpecNode t : topicsNode.elements("a list of topics, e.g. [clicks]")) {
            topics.add(t.text("a topic name"));
        }
        if (topics.isEmpty()) {
            throw topicsNode.error("expected at least one topic, got an empty list");
        }
        Map<String, String> options = new LinkedHashMap<>();
        SpecNode optionsNode = value.get("options");
        if (optionsNode != null) {
            optionsNode.requireObject("a mapping of Kafka source options to values");
            for (Map.Entry<String, SpecNode> o : optionsNode.entries()) {
                SpecNode v = o.getValue();
                if (!v.json().isValueNode() || v.json().isNull()) {
                    throw v.error("expected a string, number or true/false, got " + v.describe());
                }
                options.put(o.getKey(), v.json().asText());
            }
        }
        return new SourceSpec.Kafka(name, path, servers, topics, options);
    }

    // ------------------------------------------------------------------------------- streams

    private StreamSpec stream(String name, SpecNode node) {
        node.requireObject("a stream: {from: <name>, <operation>: ...} or {union: [<name>, ...]}", STREAM_KEYS);
        List<String> operations = new ArrayList<>();
        for (Map.Entry<String, SpecNode> e : node.entries()) {
            if (OPERATIONS.contains(e.getKey())) {
                operations.add(e.getKey());
            }
        }
        SpecNode window = node.get("window");
        SpecNode partitions = node.get("partitions");
        if (node.has("union")) {
            if (node.has("from")) {
                throw node.get("from").error("a union reads the streams it lists: leave out 'from'");
            }
            String extra = !operations.isEmpty() ? operations.get(0) : window != null ? "window"
                    : partitions != null ? "partitions" : null;
            if (extra != null) {
                throw node.get(extra).error("a union takes no operation, window or partitions: make another stream with from: " + name);
            }
            return new StreamSpec(name, node.path(), null, union(node.get("union")), null, 0);
        }
        String from = node.require("from", "the name of the stream to read (or union: [<name>, ...])")
                .text("the name of a source or stream");
        if (operations.size() > 1) {
            throw node.get(operations.get(1)).error("one operation per stream, but '" + operations.get(0)
                    + "' is also given: make another stream with from: " + name);
        }
        String key = operations.isEmpty() ? null : operations.get(0);
        if (key == null && window == null) {
            throw node.error("no operation: expected one of " + String.join(", ", OPERATIONS) + ", or window");
        }
        if (key != null && window != null && !WINDOWED.contains(key)) {
            throw window.error("a window goes alone or with " + String.join(", ", WINDOWED) + ", not with " + key);
        }
        int numPartitions = 0;
        if (partitions != null) {
            if (key == null || !SHUFFLES.contains(key)) {
                throw partitions.error("only " + String.join(", ", SHUFFLES) + " take partitions, not "
                        + (key == null ? "window" : key));
            }
            numPartitions = partitions.integer(1, MAX_PARTITIONS, "a number of partitions");
        }
        Operation operation = key == null ? new Operation.Window() : operation(key, node.get(key));
        WindowSpec windowSpec = window == null ? null : window(window);
        return new StreamSpec(name, node.path(), from, operation, windowSpec, numPartitions);
    }

    private Operation operation(String key, SpecNode value) {
        return switch (key) {
            case "flatMap" -> {
                value.requireObject("{split: <regular expression>}", List.of("split"));
                yield new Operation.Split(regex(value.require("split", "a regular expression, e.g. \"\\\\s+\"")));
            }
            case "map" -> mapText(value);
            case "filter" -> filter(value);
            case "pair" -> pair(value);
            case "countByValue" -> {
                value.requireTrue(key);
                yield new Operation.CountByValue();
            }
            case "count" -> {
                value.requireTrue(key);
                yield new Operation.Count();
            }
            case "reduceByKey" -> new Operation.ReduceByKey(aggregate(value));
            case "state" -> new Operation.State(aggregate(value));
            case "join" -> new Operation.Join(value.text("the name of a pair stream to join with"));
            default -> throw new IllegalStateException("not an operation: " + key);
        };
    }

    private static Operation union(SpecNode node) {
        List<String> names = new ArrayList<>();
        List<SpecNode> elements = node.elements("a list of at least two stream names, e.g. [a, b]");
        if (elements.size() < 2) {
            throw node.error("expected a list of at least two stream names, got " + elements.size());
        }
        for (SpecNode e : elements) {
            String name = e.text("the name of a source or stream");
            if (names.contains(name)) {
                throw e.error("'" + name + "' is listed twice");
            }
            names.add(name);
        }
        return new Operation.Union(names);
    }

    private static Operation mapText(SpecNode value) {
        List<SpecNode> names = value.isArray() ? value.elements("a list of functions") : List.of(value);
        if (names.isEmpty()) {
            throw value.error("expected a function (" + String.join(", ", TextFunction.NAMES)
                    + ") or a list of them, got an empty list");
        }
        List<TextFunction> functions = new ArrayList<>();
        for (SpecNode n : names) {
            String expected = "a function: " + String.join(", ", TextFunction.NAMES)
                    + (value.isArray() ? "" : ", or a list of them");
            TextFunction f = n.isText() ? TextFunction.named(n.text(expected)) : null;
            if (f == null) {
                throw n.error("expected " + expected + ", got " + n.describe()
                        + (n.isText() ? Suggestions.didYouMean(n.json().textValue(), TextFunction.NAMES) : ""));
            }
            functions.add(f);
        }
        return new Operation.MapText(functions);
    }

    private static Operation filter(SpecNode value) {
        value.requireObject("{regex: ..., not-regex: ..., at-least: N, at-most: N} (one or more)", FILTER_KEYS);
        if (value.entries().isEmpty()) {
            throw value.error("expected at least one condition: " + String.join(", ", FILTER_KEYS));
        }
        SpecNode regex = value.get("regex");
        SpecNode notRegex = value.get("not-regex");
        SpecNode atLeast = value.get("at-least");
        SpecNode atMost = value.get("at-most");
        return new Operation.Filter(regex == null ? null : regex(regex), notRegex == null ? null : regex(notRegex),
                atLeast == null ? null : atLeast.number("a number"), atMost == null ? null : atMost.number("a number"));
    }

    private static Operation pair(SpecNode value) {
        value.requireObject("{key: ..., value: ..., split: ...}", PAIR_KEYS);
        Extractor key = text(value.require("key", "$0 (the record), $1, $2, ... (its fields) or a constant"));
        SpecNode valueNode = value.get("value");
        Extractor v = valueNode == null ? Extractor.constant(1L) : value(valueNode);
        SpecNode split = value.get("split");
        return new Operation.ToPair(split == null ? DEFAULT_SPLIT : regex(split), key, v);
    }

    /** A key, or a text value: a field as text, or a constant as text. */
    private static Extractor text(SpecNode node) {
        String expected = "$0 (the record), $1, $2, ... (its fields) or a constant";
        if (node.isNumber()) {
            return Extractor.constant(node.json().asText());
        }
        String text = node.text(expected);
        if (text.startsWith("$")) {
            return Extractor.field(field(node, text, expected), ValueType.TEXT);
        }
        return Extractor.constant(text);
    }

    /** A value: a number, a field as a number, or {text: ...}. */
    private static Extractor value(SpecNode node) {
        String expected = "a number, $0 (the record as a number), $1, $2, ... (a field as a number), "
                + "or {text: ...} for text";
        if (node.isNumber()) {
            return Extractor.constant(node.number(expected));
        }
        if (node.isObject()) {
            node.requireObject("{text: $N or a constant}", List.of("text"));
            return text(node.require("text", "$0, $1, ... or a constant"));
        }
        String text = node.text(expected);
        if (!text.startsWith("$")) {
            throw node.error("expected " + expected + ", got " + node.describe());
        }
        return Extractor.field(field(node, text, expected), ValueType.NUMBER);
    }

    private static int field(SpecNode node, String text, String expected) {
        Matcher m = FIELD.matcher(text);
        if (!m.matches() || m.group(1).length() > 4 || Integer.parseInt(m.group(1)) > MAX_FIELD) {
            throw node.error("expected " + expected + " (a field number from $0 to $" + MAX_FIELD + "), got '"
                    + SpecNode.abbreviate(text) + "'");
        }
        return Integer.parseInt(m.group(1));
    }

    private static Aggregate aggregate(SpecNode value) {
        String expected = "one of " + String.join(", ", Aggregate.NAMES);
        Aggregate a = value.isText() ? Aggregate.named(value.text(expected)) : null;
        if (a == null) {
            throw value.error("expected " + expected + ", got " + value.describe()
                    + (value.isText() ? Suggestions.didYouMean(value.json().textValue(), Aggregate.NAMES) : ""));
        }
        return a;
    }

    private static Pattern regex(SpecNode node) {
        String text = node.text("a regular expression");
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw node.error("not a valid regular expression: " + e.getDescription()
                    + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
        }
    }

    private static WindowSpec window(SpecNode node) {
        node.requireObject("{length: <duration>, slide: <duration>}", WINDOW_KEYS);
        Duration length = duration(node.require("length", "a duration like 30s, 500ms, 2m or 1h"));
        SpecNode slide = node.get("slide");
        return new WindowSpec(length, slide == null ? null : duration(slide), node.path());
    }

    private static Duration duration(SpecNode node) {
        String expected = "a duration like 30s, 500ms, 2m or 1h";
        String text = node.text(expected);
        try {
            return Durations.parse(node.path(), text);
        } catch (IllegalArgumentException e) {
            throw node.error("expected " + expected + " (a positive whole number and ms, s, m or h), got '"
                    + SpecNode.abbreviate(text) + "'");
        } catch (ArithmeticException e) {
            throw node.error("duration '" + SpecNode.abbreviate(text) + "' is too long");
        }
    }

    // ------------------------------------------------------------------------------- outputs

    private static OutputSpec output(SpecNode node) {
        node.requireObject("an output: {stream: <name>, print: N} or {stream: <name>, saveAsTextFiles: {prefix: ...}}",
                OUTPUT_KEYS);
        String stream = node.require("stream", "the name of the stream to output").text("the name of a source or stream");
        SpecNode print = node.get("print");
        SpecNode save = node.get("saveAsTextFiles");
        if (print != null && save != null) {
            throw save.error("one output per entry, but 'print' is also given: add another entry to outputs");
        }
        if (print != null) {
            int n = print.json().isBoolean() && print.json().booleanValue() ? DEFAULT_PRINT
                    : print.integer(1, MAX_PRINT, "how many records of each batch to print, or true for "
                    + DEFAULT_PRINT);
            return new OutputSpec(node.path(), stream, n, null, null);
        }
        if (save == null) {
            throw node.error("expected print: N or saveAsTextFiles: {prefix: ..., suffix: ...}");
        }
        save.requireObject("{prefix: <path prefix>, suffix: <suffix>}", SAVE_KEYS);
        String prefix = save.require("prefix", "a path prefix, e.g. /out/counts").text("a path prefix");
        SpecNode suffix = save.get("suffix");
        return new OutputSpec(node.path(), stream, 0, prefix, suffix == null ? null : suffix.text("a suffix"));
    }
}
