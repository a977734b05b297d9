package dev.sluice.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad specs: each error names the exact path of the bad field and what was expected there. */
class SpecErrorsTest {

    /** A spec with one source, {@code lines}, the given streams, and one output of {@code out}. */
    private static String spec(String streams, String out) {
        return "sources: {lines: {socket: \"localhost:9999\"}}\nstreams:\n" + streams.indent(2)
                + "outputs: [{stream: " + out + ", print: 10}]\n";
    }

    private static PipelineSpecException error(String spec) {
        return error(new SpecParser(), spec);
    }

    private static PipelineSpecException error(SpecParser parser, String spec) {
        return assertThrows(PipelineSpecException.class, () -> parser.parse(spec));
    }

    /** The error has exactly {@code path} and {@code problem}, and the message is "path: problem". */
    private static void assertError(String path, String problem, PipelineSpecException e) {
        assertEquals(path, e.path(), e.getMessage());
        assertEquals(problem, e.problem());
        assertEquals(path.isEmpty() ? problem : path + ": " + problem, e.getMessage());
    }

    /** The error has exactly {@code path}, and its message contains {@code part}. */
    private static void assertErrorAt(String path, String part, PipelineSpecException e) {
        assertEquals(path, e.path(), e.getMessage());
        assertTrue(e.getMessage().startsWith(path.isEmpty() ? "" : path + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' does not contain '" + part + "'");
    }

    // ------------------------------------------------------------------ the text as a whole

    @Test
    void emptySpec() {
        assertError("", "the spec is empty: expected a mapping with sources, streams and outputs", error(""));
        assertError("", "the spec is empty: expected a mapping with sources, streams and outputs", error("# nothing\n"));
    }

    @Test
    void notAMapping() {
        assertError("", "expected a mapping with sources, streams and outputs, got a list", error("- a\n- b\n"));
    }

    @Test
    void yamlSyntaxErrorSaysWhere() {
        assertErrorAt("", "not valid YAML: expected ',' or ']', but got : at line 2, column",
                error("sources: [1, 2\noutputs: 3\n"));
    }

    @Test
    void jsonSyntaxErrorSaysWhere() {
        assertError("", "not valid JSON: Unexpected character ('{' (code 123)): was expecting a colon to separate "
                + "field name and value at line 1, column 22", error("{\"sources\": {\"lines\" {\"socket\": \"h:1\"}}}"));
        assertError("", "not valid JSON: Unexpected end-of-input: expected close marker for Object (start marker at "
                + "line 1, column 1) at line 1, column 41", error("{\"sources\": {\"lines\": {\"socket\": \"h:1\"}}"));
    }

    @Test
    void keyWrittenTwice() {
        assertError("streams.words.from", "the key 'from' is written twice in the same mapping",
                error(spec("words:\n  from: lines\n  from: lines\n  flatMap: {split: ' '}\n", "words")));
        assertError("outputs[1].print", "the key 'print' is written twice in the same mapping",
                error("sources: {lines: {socket: \"h:1\"}}\noutputs:\n  - {stream: lines, print: 1}\n"
                        + "  - {stream: lines, print: 1, print: 2}\n"));
    }

    @Test
    void specTooLarge() {
        String big = spec("words: {from: lines, map: lower}", "words") + "#" + "x".repeat(70_000) + "\n";
        assertErrorAt("", "more than the limit of 65536 bytes", error(big));
        PipelineSpecException small = error(new SpecParser(new SpecLimits(100, 20, 200)),
                spec("words: {from: lines, map: lower}", "words") + "# é\n");
        assertErrorAt("", "bytes, more than the limit of 100 bytes", small);
    }

    @Test
    void nestingTooDeep() {
        assertError("", "the spec nests mappings and lists more than 20 levels deep, the limit",
                error("sources: " + "[".repeat(25) + "]".repeat(25) + "\n"));
        assertError("", "the spec nests mappings and lists more than 3 levels deep, the limit",
                error(new SpecParser(new SpecLimits(65536, 3, 200)), spec("words: {from: lines, map: [lower]}", "words")));
    }

    @Test
    void tooManyStreams() {
        SpecParser parser = new SpecParser(new SpecLimits(65536, 20, 2));
        assertError("streams", "3 sources and streams, more than the limit of 2",
                error(parser, spec("a: {from: lines, map: lower}\nb: {from: a, map: upper}", "b")));
        StringBuilder many = new StringBuilder("sources: {s0: {socket: \"h:1\"}}\nstreams:\n");
        for (int i = 1; i <= 200; i++) {
            many.append("  s").append(i).append(": {from: s").append(i - 1).append(", map: lower}\n");
        }
        many.append("outputs: [{stream: s200, print: 1}]\n");
        assertError("streams", "201 sources and streams, more than the limit of 200", error(many.toString()));
    }

    @Test
    void tooManyOutputs() {
        SpecParser parser = new SpecParser(new SpecLimits(65536, 20, 2));
        assertError("outputs", "3 outputs, more than the limit of 2", error(parser,
                "sources: {lines: {socket: \"h:1\"}}\noutputs: [{stream: lines, print: 1}, {stream: lines, print: 1},"
                        + " {stream: lines, print: 1}]\n"));
    }

    // ------------------------------------------------------------------ top level

    @Test
    void unknownTopLevelKey() {
        assertError("stream", "unknown key 'stream'; allowed: sources, streams, outputs (did you mean 'streams'?)",
                error("sources: {lines: {socket: \"h:1\"}}\nstream: {}\noutputs: [{stream: lines, print: 1}]\n"));
    }

    @Test
    void missingOrEmptySources() {
        assertErrorAt("sources", "missing; expected a mapping of source names to sources",
                error("outputs: [{stream: lines, print: 1}]\n"));
        assertError("sources", "expected at least one source, got an empty mapping",
                error("sources: {}\noutputs: [{stream: lines, print: 1}]\n"));
        assertError("sources", "expected a mapping of source names to sources, got a list",
                error("sources: [lines]\noutputs: [{stream: lines, print: 1}]\n"));
    }

    @Test
    void missingEmptyOrBadOutputs() {
        assertErrorAt("outputs", "missing; expected a list of outputs", error("sources: {lines: {socket: \"h:1\"}}\n"));
        assertErrorAt("outputs", "expected at least one output, got an empty list",
                error("sources: {lines: {socket: \"h:1\"}}\noutputs: []\n"));
        assertErrorAt("outputs", "expected a list of outputs, e.g. [{stream: counts, print: 10}], got a mapping",
                error("sources: {lines: {socket: \"h:1\"}}\noutputs: {stream: lines, print: 1}\n"));
    }

    // ------------------------------------------------------------------ names and sources

    @Test
    void badName() {
        assertError("streams.my words", "'my words' is not a valid name: expected a name of letters, digits, '_' "
                        + "and '-', starting with a letter, at most 64 characters",
                error(spec("my words: {from: lines, map: lower}", "lines")));
        assertErrorAt("sources.1st", "'1st' is not a valid name",
                error("sources: {1st: {socket: \"h:1\"}}\noutputs: [{stream: 1st, print: 1}]\n"));
    }

    @Test
    void sourceWithTwoKindsOrNone() {
        assertError("sources.lines", "expected exactly one of socket, dir, http, kafka, arg, got socket, dir",
                error("sources: {lines: {socket: \"h:1\", dir: /in}}\noutputs: [{stream: lines, print: 1}]\n"));
        assertError("sources.lines", "expected exactly one of socket, dir, http, kafka, arg, got none",
                error("sources: {lines: {}}\noutputs: [{stream: lines, print: 1}]\n"));
    }

    @Test
    void unknownSourceKind() {
        assertError("sources.lines.sockt", "unknown key 'sockt'; allowed: socket, dir, http, kafka, arg "
                        + "(did you mean 'socket'?)",
                error("sources: {lines: {sockt: \"h:1\"}}\noutputs: [{stream: lines, print: 1}]\n"));
    }

    @Test
    void badSocket() {
        assertError("sources.lines.socket", "expected \"host:port\" with a port from 1 to 65535, got 'localhost'",
                error("sources: {lines: {socket: localhost}}\noutputs: [{stream: lines, print: 1}]\n"));
        assertError("sources.lines.socket", "expected \"host:port\" with a port from 1 to 65535, got 'h:70000'",
                error("sources: {lines: {socket: \"h:70000\"}}\noutputs: [{stream: lines, print: 1}]\n"));
        assertError("sources.lines.socket", "expected \"host:port\", got the number 9999",
                error("sources: {lines: {socket: 9999}}\noutputs: [{stream: lines, print: 1}]\n"));
    }

    @Test
    void badHttpPath() {
        assertError("sources.c.http", "expected an ingest path of letters, digits, '-' and '_', got 'a/b'",
                error("sources: {c: {http: a/b}}\noutputs: [{stream: c, print: 1}]\n"));
    }

    @Test
    void badKafka() {
        assertErrorAt("sources.k.kafka.topics", "missing; expected a list of topics",
                error("sources: {k: {kafka: {servers: \"h:9092\"}}}\noutputs: [{stream: k, print: 1}]\n"));
        assertError("sources.k.kafka.topics", "expected at least one topic, got an empty list",
                error("sources: {k: {kafka: {servers: \"h:9092\", topics: []}}}\noutputs: [{stream: k, print: 1}]\n"));
        assertError("sources.k.kafka.topics", "expected a list of topics, e.g. [clicks], got the string 't'",
                error("sources: {k: {kafka: {servers: \"h:9092\", topics: t}}}\noutputs: [{stream: k, print: 1}]\n"));
        assertError("sources.k.kafka.options.x", "expected a string, number or true/false, got a list",
                error("sources: {k: {kafka: {servers: \"h:9092\", topics: [t], options: {x: [1]}}}}\n"
                        + "outputs: [{stream: k, print: 1}]\n"));
        assertErrorAt("sources.k.kafka.topic", "unknown key 'topic'; allowed: servers, topics, options "
                        + "(did you mean 'topics'?)",
                error("sources: {k: {kafka: {servers: \"h:9092\", topic: t}}}\noutputs: [{stream: k, print: 1}]\n"));
    }

    @Test
    void streamNamedLikeASource() {
        assertError("streams.lines", "'lines' is already the name of a source",
                error(spec("lines: {from: lines, map: lower}", "lines")));
    }

    // ------------------------------------------------------------------ references

    @Test
    void unknownStreamNamesTheKnownOnes() {
        assertError("streams.counts.from",
                "unknown stream 'pairz'; known: lines, words, kept, pairs (did you mean 'pairs'?)",
                error(spec("""
                        words:  {from: lines, flatMap: {split: "\\\\s+"}}
                        kept:   {from: words, filter: {regex: "^[a-z]+$"}}
                        pairs:  {from: kept, pair: {key: "$0", value: 1}}
                        counts: {from: pairz, reduceByKey: sum}
                        """, "counts")));
    }

    @Test
    void unknownStreamInAnOutput() {
        assertError("outputs[1].stream", "unknown stream 'wrods'; known: lines, words (did you mean 'words'?)",
                error("sources: {lines: {socket: \"h:1\"}}\nstreams: {words: {from: lines, map: lower}}\n"
                        + "outputs: [{stream: words, print: 1}, {stream: wrods, print: 1}]\n"));
    }

    @Test
    void unknownStreamInAUnionOrJoin() {
        assertErrorAt("streams.u.union[1]", "unknown stream 'nope'", error(spec("u: {union: [lines, nope]}", "u")));
        assertErrorAt("streams.j.join", "unknown stream 'nope'",
                error(spec("p: {from: lines, pair: {key: $0}}\nj: {from: p, join: nope}", "j")));
    }

    @Test
    void cycle() {
        assertError("streams.b.from", "streams read each other in a cycle: a -> b -> a (each reads the next)",
                error(spec("a: {from: b, map: lower}\nb: {from: a, map: upper}", "a")));
        assertError("streams.a.from", "streams read each other in a cycle: a -> a (each reads the next)",
                error(spec("a: {from: a, map: lower}", "a")));
        assertError("streams.c.union[1]", "streams read each other in a cycle: a -> b -> c -> a (each reads the next)",
                error(spec("a: {from: b, map: lower}\nb: {from: c, map: lower}\nc: {union: [lines, a]}", "a")));
    }

    @Test
    void unusedStreamsAndSources() {
        assertError("streams.orphan", "stream 'orphan' is not used: no stream reads it and no output writes it",
                error(spec("orphan: {from: lines, map: lower}", "lines")));
        assertError("sources.spare", "source 'spare' is not used: no stream reads it and no output writes it",
                error("sources: {lines: {socket: \"h:1\"}, spare: {dir: /in}}\noutputs: [{stream: lines, print: 1}]\n"));
    }

    // ------------------------------------------------------------------ stream shape

    @Test
    void streamNotAMapping() {
        assertErrorAt("streams.words", "expected a stream: {from: <name>, <operation>: ...} or {union: [<name>, ...]}, "
                + "got the string 'lines'", error(spec("words: lines", "words")));
    }

    @Test
    void unknownStreamKeySuggestsTheRightOne() {
        assertErrorAt("streams.words.flatmap", "unknown key 'flatmap'; allowed: from, union, flatMap, map, filter, pair, "
                        + "countByValue, count, reduceByKey, state, join, window, partitions (did you mean 'flatMap'?)",
                error(spec("words: {from: lines, flatmap: {split: ' '}}", "words")));
    }

    @Test
    void missingFrom() {
        assertError("streams.words.from",
                "missing; expected the name of the stream to read (or union: [<name>, ...])",
                error(spec("words: {flatMap: {split: ' '}}", "words")));
    }

    @Test
    void noOperation() {
        assertError("streams.words", "no operation: expected one of flatMap, map, filter, pair, countByValue, count, "
                + "reduceByKey, state, join, or window", error(spec("words: {from: lines}", "words")));
    }

    @Test
    void twoOperations() {
        assertError("streams.words.map", "one operation per stream, but 'flatMap' is also given: make another stream "
                + "with from: words", error(spec("words: {from: lines, flatMap: {split: ' '}, map: lower}", "words")));
    }

    @Test
    void windowWithTheWrongOperation() {
        assertError("streams.w.window", "a window goes alone or with reduceByKey, countByValue, count, not with state",
                error(spec("p: {from: lines, pair: {key: $0}}\nw: {from: p, state: sum, window: {length: 2s}}", "w")));
    }

    @Test
    void partitionsWhereNothingShuffles() {
        assertError("streams.w.partitions", "only reduceByKey, countByValue, state, join take partitions, not map",
                error(spec("w: {from: lines, map: lower, partitions: 2}", "w")));
        assertError("streams.w.partitions", "only reduceByKey, countByValue, state, join take partitions, not window",
                error(spec("w: {from: lines, window: {length: 2s}, partitions: 2}", "w")));
        assertError("streams.c.partitions", "expected a number of partitions (a whole number from 1 to 10000), "
                + "got the number 0", error(spec("c: {from: lines, countByValue: true, partitions: 0}", "c")));
    }

    // ------------------------------------------------------------------ operations' arguments

    @Test
    void badRegex() {
        assertError("streams.words.flatMap.split", "not a valid regular expression: Unclosed group near index 3",
                error(spec("words: {from: lines, flatMap: {split: \"(ab\"}}", "words")));
        assertError("streams.kept.filter.not-regex", "not a valid regular expression: Dangling meta character '*' "
                + "near index 0", error(spec("kept: {from: lines, filter: {not-regex: \"*\"}}", "kept")));
        assertErrorAt("streams.p.pair.split", "not a valid regular expression",
                error(spec("p: {from: lines, pair: {key: $1, split: \"[\"}}", "p")));
    }

    @Test
    void flatMapWithoutSplit() {
        assertError("streams.words.flatMap.split", "missing; expected a regular expression, e.g. \"\\\\s+\"",
                error(spec("words: {from: lines, flatMap: {}}", "words")));
        assertErrorAt("streams.words.flatMap", "expected {split: <regular expression>}, got the string 'split'",
                error(spec("words: {from: lines, flatMap: split}", "words")));
    }

    @Test
    void unknownMapFunction() {
        assertError("streams.m.map", "expected a function: lower, upper, trim, or a list of them, got the string "
                + "'lowr' (did you mean 'lower'?)", error(spec("m: {from: lines, map: lowr}", "m")));
        assertError("streams.m.map[1]", "expected a function: lower, upper, trim, got the string 'reverse'",
                error(spec("m: {from: lines, map: [trim, reverse]}", "m")));
    }

    @Test
    void badFilter() {
        assertError("streams.f.filter", "expected at least one condition: regex, not-regex, at-least, at-most",
                error(spec("f: {from: lines, filter: {}}", "f")));
        assertError("streams.f.filter.at-least", "expected a number, got the string 'two'",
                error(spec("p: {from: lines, pair: {key: $0}}\nf: {from: p, filter: {at-least: two}}", "f")));
        assertErrorAt("streams.f.filter.regexp", "(did you mean 'regex'?)",
                error(spec("f: {from: lines, filter: {regexp: a}}", "f")));
    }

    @Test
    void badPair() {
        assertError("streams.p.pair.key", "missing; expected $0 (the record), $1, $2, ... (its fields) or a constant",
                error(spec("p: {from: lines, pair: {value: 1}}", "p")));
        assertError("streams.p.pair.value", "expected a number, $0 (the record as a number), $1, $2, ... "
                        + "(a field as a number), or {text: ...} for text, got the string 'one'",
                error(spec("p: {from: lines, pair: {key: $0, value: one}}", "p")));
        assertError("streams.p.pair.key", "expected $0 (the record), $1, $2, ... (its fields) or a constant "
                        + "(a field number from $0 to $1000), got '$x'",
                error(spec("p: {from: lines, pair: {key: $x}}", "p")));
        assertErrorAt("streams.p.pair.value.text", "expected $0 (the record), $1, $2",
                error(spec("p: {from: lines, pair: {key: $0, value: {text: [1]}}}", "p")));
        assertErrorAt("streams.p.pair.value.txt", "unknown key 'txt'; allowed: text",
                error(spec("p: {from: lines, pair: {key: $0, value: {txt: $1}}}", "p")));
    }

    @Test
    void flagsMustBeTrue() {
        assertError("streams.c.countByValue", "expected true (countByValue takes no argument; leave the key out to "
                + "not countByValue), got false", error(spec("c: {from: lines, countByValue: false}", "c")));
        assertErrorAt("streams.c.count", "got the string 'yes please'",
                error(spec("c: {from: lines, count: yes please}", "c")));
    }

    @Test
    void unknownAggregate() {
        assertError("streams.c.reduceByKey", "expected one of sum, count, min, max, got the string 'summ' "
                + "(did you mean 'sum'?)", error(spec("p: {from: lines, pair: {key: $0}}\nc: {from: p, reduceByKey: summ}", "c")));
        assertError("streams.c.state", "expected one of sum, count, min, max, got a mapping",
                error(spec("p: {from: lines, pair: {key: $0}}\nc: {from: p, state: {sum: true}}", "c")));
    }

    @Test
    void badDurations() {
        assertError("streams.win.window.length", "expected a duration like 30s, 500ms, 2m or 1h (a positive whole "
                        + "number and ms, s, m or h), got '30 seconds'",
                error(spec("win: {from: lines, window: {length: 30 seconds}}", "win")));
        assertError("streams.win.window.slide", "expected a duration like 30s, 500ms, 2m or 1h (a positive whole "
                        + "number and ms, s, m or h), got '0s'",
                error(spec("win: {from: lines, window: {length: 30s, slide: 0s}}", "win")));
        assertError("streams.win.window.length", "expected a duration like 30s, 500ms, 2m or 1h, got the number 30",
                error(spec("win: {from: lines, window: {length: 30}}", "win")));
        assertErrorAt("streams.win.window.length", "missing; expected a duration",
                error(spec("win: {from: lines, window: {slide: 1s}}", "win")));
    }

    @Test
    void badUnion() {
        assertError("streams.u.union", "expected a list of at least two stream names, got 1",
                error(spec("u: {union: [lines]}", "u")));
        assertError("streams.u.union[1]", "'lines' is listed twice", error(spec("u: {union: [lines, lines]}", "u")));
        assertError("streams.u.from", "a union reads the streams it lists: leave out 'from'",
                error(spec("m: {from: lines, map: lower}\nu: {from: lines, union: [lines, m]}", "u")));
        assertError("streams.u.map", "a union takes no operation, window or partitions: make another stream with from: u",
                error(spec("m: {from: lines, map: lower}\nu: {union: [lines, m], map: lower}", "u")));
    }

    // ------------------------------------------------------------------ kinds of streams

    @Test
    void pairOperationOnATextStream() {
        assertError("streams.counts.reduceByKey", "reduceByKey needs a pair stream, but 'words' is a text stream "
                        + "(make pairs with pair: {key: ..., value: ...} or countByValue)",
                error(spec("words: {from: lines, flatMap: {split: ' '}}\ncounts: {from: words, reduceByKey: sum}",
                        "counts")));
        assertErrorAt("streams.s.state", "state needs a pair stream, but 'lines' is a text stream",
                error(spec("s: {from: lines, state: count}", "s")));
    }

    @Test
    void numericAggregateOnTextValues() {
        assertError("streams.c.reduceByKey", "reduceByKey sum needs number values, but 'p' is a pair stream with text "
                        + "values (count takes any values)",
                error(spec("p: {from: lines, pair: {key: $1, value: {text: $2}}}\nc: {from: p, reduceByKey: sum}", "c")));
    }

    @Test
    void textOperationOnAPairStream() {
        assertError("streams.w.flatMap", "flatMap needs a text stream, but 'p' is a pair stream with number values",
                error(spec("p: {from: lines, pair: {key: $0}}\nw: {from: p, flatMap: {split: ' '}}", "w")));
        assertError("streams.q.pair", "pair makes pairs of text records, but 'p' is a pair stream with number values "
                + "already", error(spec("p: {from: lines, pair: {key: $0}}\nq: {from: p, pair: {key: $0}}", "q")));
        assertError("streams.c.countByValue", "countByValue needs a text stream, but 'n' is a number stream",
                error(spec("n: {from: lines, count: true}\nc: {from: n, countByValue: true}", "c")));
    }

    @Test
    void filterConditionOnTheWrongKind() {
        assertError("streams.f.filter.at-least", "at-least and at-most apply to number streams and to pair streams "
                + "with number values, but 'lines' is a text stream", error(spec("f: {from: lines, filter: {at-least: 1}}", "f")));
        assertError("streams.f.filter.regex", "a regex filter applies to text records and to the keys of pair "
                        + "streams, but 'n' is a number stream",
                error(spec("n: {from: lines, count: true}\nf: {from: n, filter: {regex: x}}", "f")));
    }

    @Test
    void joinWithATextStream() {
        assertError("streams.j.join", "join needs a pair stream, but 'lines' is a text stream (make pairs with pair: "
                        + "{key: ..., value: ...} or countByValue)",
                error(spec("p: {from: lines, pair: {key: $0}}\nj: {from: p, join: lines}", "j")));
    }

    @Test
    void unionOfDifferentKinds() {
        assertError("streams.u.union[1]", "a union needs streams of one kind, but 'p' is a pair stream with number "
                        + "values and 'lines' is a text stream",
                error(spec("p: {from: lines, pair: {key: $0}}\nu: {union: [lines, p]}", "u")));
    }

    // ------------------------------------------------------------------ outputs

    @Test
    void badOutputs() {
        String source = "sources: {lines: {socket: \"h:1\"}}\n";
        assertError("outputs[0].saveAsTextFiles", "one output per entry, but 'print' is also given: add another "
                        + "entry to outputs",
                error(source + "outputs: [{stream: lines, print: 1, saveAsTextFiles: {prefix: /o}}]\n"));
        assertError("outputs[0]", "expected print: N or saveAsTextFiles: {prefix: ..., suffix: ...}",
                error(source + "outputs: [{stream: lines}]\n"));
        assertError("outputs[0].print", "expected how many records of each batch to print, or true for 10 "
                + "(a whole number from 1 to 10000), got the number 0", error(source + "outputs: [{stream: lines, print: 0}]\n"));
        assertError("outputs[0].saveAsTextFiles.prefix", "missing; expected a path prefix, e.g. /out/counts",
                error(source + "outputs: [{stream: lines, saveAsTextFiles: {suffix: txt}}]\n"));
        assertError("outputs[0].pritn", "unknown key 'pritn'; allowed: stream, print, saveAsTextFiles "
                + "(did you mean 'print'?)", error(source + "outputs: [{stream: lines, pritn: 1}]\n"));
        assertErrorAt("outputs[0].stream", "missing; expected the name of the stream to output",
                error(source + "outputs: [{print: 1}]\n"));
        assertErrorAt("outputs[1]", "expected an output: {stream: <name>, print: N}",
                error(source + "outputs: [{stream: lines, print: 1}, lines]\n"));
    }
}
