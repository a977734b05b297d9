package dev.sluice.pipeline;

import dev.sluice.api.DStream;
import dev.sluice.api.Pair;
import dev.sluice.testkit.StreamTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Specs run on queue input through {@link StreamTest} (the operators the workers run), compared
 * with the same computation written by hand against the job API, and with expected values.
 */
class PipelineRunTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    private static final List<List<String>> TEXT = List.of(
            List.of("the cat sat", "  The dog  ", "a cat"),
            List.of(),
            List.of("dog dog cat", "bird"),
            List.of("cat"),
            List.of("the end", "dog"),
            List.of("cat cat"));

    /** The stream {@code name} of {@code spec}, run with {@code lines} as its {@code lines} source, as strings. */
    private static List<List<String>> run(String spec, String name, List<List<String>> lines, int batches) {
        PipelineSpec parsed = new SpecParser().parse(spec);
        return sorted(StreamTest.run(SECOND, lines, (DStream<String> in) -> asText(
                PipelineJob.define(in.context(), parsed, Map.of("lines", in)).get(name)), batches));
    }

    /** The same with two sources, {@code a} and {@code b}. */
    private static List<List<String>> run(String spec, String name, List<List<String>> a, List<List<String>> b,
                                          int batches) {
        PipelineSpec parsed = new SpecParser().parse(spec);
        return sorted(StreamTest.run(SECOND, a, b, (DStream<String> x, DStream<String> y) -> asText(
                PipelineJob.define(x.context(), parsed, Map.of("a", x, "b", y)).get(name)), batches));
    }

    /** The hand-written equivalent. */
    private static <R> List<List<String>> runByHand(Function<DStream<String>, DStream<R>> job, List<List<String>> lines,
                                                    int batches) {
        return sorted(StreamTest.run(SECOND, lines, (DStream<String> in) -> asText(job.apply(in)), batches));
    }

    private static DStream<String> asText(DStream<?> stream) {
        return stream.map(x -> String.valueOf((Object) x));
    }

    /** Each batch sorted: the order within a batch is not part of the contract. */
    private static List<List<String>> sorted(List<List<String>> batches) {
        List<List<String>> out = new ArrayList<>();
        batches.forEach(b -> out.add(b.stream().sorted().toList()));
        return out;
    }

    private static Iterable<String> words(String line) {
        return Arrays.stream(line.split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    @Test
    void wordCountMatchesTheHandWrittenJob() {
        String spec = """
                sources: {lines: {socket: "localhost:9999"}}
                streams:
                  words:  {from: lines, flatMap: {split: "\\\\s+"}}
                  pairs:  {from: words, pair: {key: $0, value: 1}}
                  counts: {from: pairs, reduceByKey: sum}
                outputs: [{stream: counts, print: 10}]
                """;
        List<List<String>> byHand = runByHand(lines -> lines.flatMap(PipelineRunTest::words)
                .mapToPair(w -> Pair.of(w, 1L)).reduceByKey(Long::sum), TEXT, 7);

        assertEquals(byHand, run(spec, "counts", TEXT, 7));
        assertEquals(List.of("(The,1)", "(a,1)", "(cat,2)", "(dog,1)", "(sat,1)", "(the,1)"), byHand.get(0));
        assertEquals(List.of(), byHand.get(6));
    }

    @Test
    void lowerCaseFilteredWordCountWithPartitions() {
        String spec = """
                sources: {lines: {socket: "localhost:9999"}}
                streams:
                  words:  {from: lines, flatMap: {split: " "}}
                  lower:  {from: words, map: [trim, lower]}
                  kept:   {from: lower, filter: {regex: "^[a-z]+$", not-regex: "^(a|the)$"}}
                  counts: {from: kept, countByValue: true, partitions: 3}
                outputs: [{stream: counts, print: 10}]
                """;
        List<List<String>> byHand = runByHand(lines -> lines.flatMap(PipelineRunTest::words)
                .map(String::toLowerCase).filter(w -> w.matches("[a-z]+") && !w.matches("a|the"))
                .countByValue(3), TEXT, 6);

        assertEquals(byHand, run(spec, "counts", TEXT, 6));
        assertEquals(List.of("(cat,2)", "(dog,1)", "(sat,1)"), byHand.get(0));
    }

    @Test
    void windowedSumMatchesReduceByKeyAndWindow() {
        String spec = """
                sources: {lines: {socket: "localhost:9999"}}
                streams:
                  words: {from: lines, flatMap: {split: "\\\\s+"}}
                  pairs: {from: words, pair: {key: $0}}
                  win:   {from: pairs, window: {length: 3s, slide: 2s}, reduceByKey: sum}
                outputs: [{stream: win, print: 10}]
                """;
        List<List<String>> byHand = runByHand(lines -> lines.flatMap(PipelineRunTest::words)
                .mapToPair(w -> Pair.of(w, 1L)).reduceByKeyAndWindow(Long::sum, Duration.ofSeconds(3),
                        Duration.ofSeconds(2)), TEXT, 6);

        List<List<String>> windows = run(spec, "win", TEXT, 6);
        assertEquals(byHand, windows);
        // Windows at 2s (batches 1-2), 4s (2-4) and 6s (4-6).
        assertEquals(3, windows.size());
        assertEquals(List.of("(bird,1)", "(cat,2)", "(dog,2)"), windows.get(1));
        assertEquals(List.of("(cat,3)", "(dog,1)", "(end,1)", "(the,1)"), windows.get(2));
    }

    @Test
    void runningStateMatchesUpdateStateByKey() {
        String spec = """
                sources: {lines: {socket: "localhost:9999"}}
                streams:
                  words: {from: lines, flatMap: {split: "\\\\s+"}}
                  pairs: {from: words, pair: {key: $0, value: 1}}
                  total: {from: pairs, state: sum}
                  seen:  {from: words, pair: {key: $0, value: {text: x}}}
                  times: {from: seen, state: count, partitions: 3}
                outputs: [{stream: total, print: 10}, {stream: times, print: 10}]
                """;
        List<List<String>> byHand = runByHand(lines -> lines.flatMap(PipelineRunTest::words)
                .mapToPair(w -> Pair.of(w, 1L))
                .updateStateByKey((List<Long> values, Optional<Long> state) ->
                        Optional.of(state.orElse(0L) + values.stream().mapToLong(Long::longValue).sum())), TEXT, 7);

        List<List<String>> totals = run(spec, "total", TEXT, 7);
        assertEquals(byHand, totals);
        assertEquals(List.of("(The,1)", "(a,1)", "(bird,1)", "(cat,6)", "(dog,4)", "(end,1)", "(sat,1)", "(the,2)"),
                totals.get(6));
        assertEquals(totals, run(spec, "times", TEXT, 7));
    }

    @Test
    void filterAndUnionOfTwoSources() {
        String spec = """
                sources:
                  a: {socket: "localhost:1"}
                  b: {socket: "localhost:2"}
                streams:
                  errors: {from: a, filter: {regex: "^ERROR"}}
                  warns:  {from: b, filter: {regex: "WARN", not-regex: "ignore"}}
                  all:    {union: [errors, warns]}
                  upper:  {from: all, map: upper}
                outputs: [{stream: upper, print: 10}]
                """;
        List<List<String>> a = List.of(List.of("ERROR disk", "INFO ok", "x ERROR"), List.of("ERROR net"));
        List<List<String>> b = List.of(List.of("WARN slow", "WARN ignore me"), List.of(), List.of("a WARN"));

        List<List<String>> byHand = sorted(StreamTest.run(SECOND, a, b, (DStream<String> x, DStream<String> y) ->
                x.filter(l -> l.startsWith("ERROR")).union(y.filter(l -> l.contains("WARN") && !l.contains("ignore")))
                        .map(String::toUpperCase), 3));

        List<List<String>> out = run(spec, "upper", a, b, 3);
        assertEquals(byHand, out);
        assertEquals(List.of(List.of("ERROR DISK", "WARN SLOW"), List.of("ERROR NET"), List.of("A WARN")), out);
    }

    @Test
    void fieldsNumbersAndMinMax() {
        String spec = """
                sources: {lines: {socket: "localhost:9999"}}
                streams:
                  prices: {from: lines, pair: {split: ",", key: $1, value: $2}}
                  high:   {from: prices, reduceByKey: max}
                  low:    {from: prices, reduceByKey: min}
                  sum:    {from: prices, reduceByKey: sum}
                  many:   {from: prices, reduceByKey: count}
                outputs: [{stream: high, print: 10}, {stream: low, print: 10}, {stream: sum, print: 10},
                          {stream: many, print: 10}]
                """;
        // "bad" is not a number and "short" has no second field: both are dropped. Fields are stripped.
        List<List<String>> input = List.of(List.of("a,3", "a,2.5", "b,-1", "a,bad", "short", " b , 4 ", "c,1e3"));
        assertEquals(List.of(List.of("(a,3)", "(b,4)", "(c,1000.0)")), run(spec, "high", input, 1));
        assertEquals(List.of(List.of("(a,2.5)", "(b,-1)", "(c,1000.0)")), run(spec, "low", input, 1));
        assertEquals(List.of(List.of("(a,5.5)", "(b,3)", "(c,1000.0)")), run(spec, "sum", input, 1));
        assertEquals(List.of(List.of("(a,2)", "(b,2)", "(c,1)")), run(spec, "many", input, 1));
    }

    @Test
    void countsPerBatchAndPerWindow() {
        String spec = """
                sources: {lines: {socket: "localhost:9999"}}
                streams:
                  n:      {from: lines, count: true}
                  busy:   {from: n, filter: {at-least: 2}}
                  inWin:  {from: lines, count: true, window: {length: 2s}}
                  recent: {from: lines, window: {length: 2s, slide: 2s}}
                outputs: [{stream: busy, print: 10}, {stream: inWin, print: 10}, {stream: recent, print: 10}]
                """;
        assertEquals(List.of(List.of("3"), List.of("0"), List.of("2"), List.of("1"), List.of("2"), List.of("1")),
                run(spec, "n", TEXT, 6));
        assertEquals(List.of(List.of("3"), List.of(), List.of("2"), List.of(), List.of("2"), List.of()),
                run(spec, "busy", TEXT, 6));
        assertEquals(runByHand(lines -> lines.countByWindow(Duration.ofSeconds(2), SECOND), TEXT, 6),
                run(spec, "inWin", TEXT, 6));
        assertEquals(List.of(List.of("  The dog  ", "a cat", "the cat sat"), List.of("bird", "cat", "dog dog cat"),
                List.of("cat cat", "dog", "the end")), run(spec, "recent", TEXT, 6));
    }

    @Test
    void countByValueAndWindowWithFilterOnCounts() {
        String spec = """
                sources: {lines: {socket: "localhost:9999"}}
                streams:
                  words:  {from: lines, flatMap: {split: "\\\\s+"}}
                  counts: {from: words, countByValue: true, window: {length: 3s, slide: 1s}, partitions: 2}
                  top:    {from: counts, filter: {at-least: 3, regex: "^[a-z]"}}
                outputs: [{stream: top, print: 10}]
                """;
        List<List<String>> byHand = runByHand(lines -> lines.flatMap(PipelineRunTest::words)
                .countByValueAndWindow(Duration.ofSeconds(3), SECOND, 2)
                .filter(p -> p.second() >= 3 && p.first().matches("^[a-z].*")), TEXT, 6);
        List<List<String>> top = run(spec, "top", TEXT, 6);
        assertEquals(byHand, top);
        assertEquals(List.of("(cat,3)", "(dog,3)"), top.get(2));
    }

    @Test
    void joinPairsTwoStreamsByKey() {
        String spec = """
                sources:
                  a: {socket: "localhost:1"}
                  b: {socket: "localhost:2"}
                streams:
                  prices: {from: a, pair: {split: ",", key: $1, value: $2}}
                  names:  {from: b, pair: {split: ",", key: $1, value: {text: $2}}}
                  joined: {from: prices, join: names, partitions: 3}
                  items:  {from: joined, reduceByKey: count}
                outputs: [{stream: joined, print: 10}, {stream: items, print: 10}]
                """;
        List<List<String>> a = List.of(List.of("1,10", "2,20", "3,30"), List.of("1,11"));
        List<List<String>> b = List.of(List.of("1,apple", "2,pear"), List.of("2,pear"));
        assertEquals(List.of(List.of("(1,(10,apple))", "(2,(20,pear))"), List.of()), run(spec, "joined", a, b, 2));
        assertEquals(List.of(List.of("(1,1)", "(2,1)"), List.of()), run(spec, "items", a, b, 2));
    }

    @Test
    void aStreamReadByManyIsSharedAndWindowedPairsStayPairs() {
        String spec = """
                sources: {lines: {socket: "localhost:9999"}}
                streams:
                  pairs:  {from: lines, pair: {key: $1}}
                  last2:  {from: pairs, window: {length: 2s}}
                  per2:   {from: last2, reduceByKey: sum}
                  both:   {union: [pairs, last2]}
                  summed: {from: both, state: max}
                outputs: [{stream: per2, print: 10}, {stream: summed, print: 10}]
                """;
        List<List<String>> per2 = run(spec, "per2", TEXT, 3);
        // Fields are read from the record with surrounding white space removed: "  The dog  " has $1 "The".
        assertEquals(List.of(List.of("(The,1)", "(a,1)", "(the,1)"), List.of("(The,1)", "(a,1)", "(the,1)"),
                List.of("(bird,1)", "(dog,1)")), per2);
        // Every key's largest value so far: a key's value is 1 in every record.
        assertEquals(List.of("(The,1)", "(a,1)", "(bird,1)", "(dog,1)", "(the,1)"), run(spec, "summed", TEXT, 3).get(2));
    }

    @Test
    void theExampleInTheDocs() {
        PipelineSpec spec = new SpecParser().parse("""
                sources: {lines: {socket: "localhost:9999"}}
                streams:
                  words:  {from: lines, flatMap: {split: '\\s+'}}
                  pairs:  {from: words, pair: {key: $0}}
                  counts: {from: pairs, reduceByKey: sum}
                outputs: [{stream: counts, print: 10}]
                """);
        List<List<String>> out = StreamTest.run(Duration.ofSeconds(1),
                List.of(List.of("a b a"), List.of(), List.of("b")),
                (DStream<String> lines) -> PipelineJob.define(lines.context(), spec, Map.of("lines", lines))
                        .get("counts").map(String::valueOf),
                3);
        assertEquals(List.of(List.of("(b,1)", "(a,2)"), List.of(), List.of("(b,1)")), out);
    }
}
