package dev.sluice.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.DStream;
import dev.sluice.api.Pair;
import dev.sluice.testkit.StreamTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The spec compiler runs word counts as one {@link TokenCounts} pass per partition. Each
 * fused spec is checked against the same spec with a regex the compiler does not fuse
 * ({@code [\s]+}, which splits identically), on text with every kind of white space, empty
 * lines, non-ASCII letters and non-breaking spaces (not white space to {@code \s}).
 */
class WordCountFusionTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    private static List<List<String>> run(String spec, String name, List<List<String>> lines) {
        PipelineSpec parsed = new SpecParser().parse(spec);
        List<List<String>> out = new ArrayList<>();
        StreamTest.run(SECOND, lines, (DStream<String> in) -> PipelineJob.define(in.context(), parsed, Map.of("lines", in))
                .get(name).map(x -> String.valueOf((Object) x)), lines.size() + 2)
                .forEach(b -> out.add(b.stream().sorted().toList()));
        return out;
    }

    /** Batches of random lines over a small vocabulary and every separator {@code \s} knows, and some it does not. */
    private static List<List<String>> text(long seed) {
        Random random = new Random(seed);
        String[] words = {"a", "b", "cat", "Dog", "émile", "日本", "x\u00A0y", "", "a,b", "ß"};
        String[] spaces = {" ", "  ", "\t", "\r", "\u000B", "\f", " \t "};
        List<List<String>> batches = new ArrayList<>();
        for (int b = 0; b < 5; b++) {
            List<String> batch = new ArrayList<>();
            for (int l = random.nextInt(40); l > 0; l--) {
                StringBuilder line = new StringBuilder();
                for (int w = random.nextInt(8); w > 0; w--) {
                    line.append(random.nextBoolean() ? spaces[random.nextInt(spaces.length)] : "");
                    line.append(words[random.nextInt(words.length)]).append(spaces[random.nextInt(spaces.length)]);
                }
                batch.add(line.toString());
            }
            batches.add(batch);
        }
        return batches;
    }

    private static String spec(String split, String counting) {
        String pairs = counting.startsWith("pairs") ? "  pairs:  {from: words, pair: {key: $0, value: 1}}\n" : "";
        return """
                sources: {lines: {socket: "localhost:9999"}}
                streams:
                  words:  {from: lines, flatMap: {split: "%s"}}
                %s  counts: {from: %s}
                outputs: [{stream: counts, print: 10}]
                """.formatted(split, pairs, counting);
    }

    @Test
    void everyFusedFormCountsWhatTheUnfusedSpecCounts() {
        List<String> countings = List.of(
                "pairs, reduceByKey: sum",
                "pairs, reduceByKey: count",
                "words, countByValue: true",
                "pairs, reduceByKey: sum, partitions: 3",
                "pairs, window: {length: 3s, slide: 2s}, reduceByKey: sum",
                "words, window: {length: 2s}, countByValue: true");
        for (long seed = 1; seed <= 3; seed++) {
            List<List<String>> lines = text(seed);
            for (String counting : countings) {
                for (String fused : List.of("\\\\s+", "\\\\s")) {
                    assertEquals(run(spec("[\\\\s]+", counting), "counts", lines), run(spec(fused, counting), "counts", lines),
                            counting + " split " + fused + " seed " + seed);
                }
            }
        }
    }

    @Test
    void tokenCountsCountsEachWordOfAPartitionOnceWithLongCounts() {
        Iterator<Pair<String, Long>> counts = new TokenCounts().apply(List.of(" to be\tor not to be ", "", "\r\n", "be").iterator());
        Map<String, Long> byWord = new TreeMap<>();
        counts.forEachRemaining(p -> assertEquals(null, byWord.put(p.first(), p.second())));
        assertEquals(Map.of("to", 2L, "be", 3L, "or", 1L, "not", 1L), byWord);
    }

    @Test
    void aPartitionWithManyWordsGrowsTheTableWithoutLosingAny() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            lines.add("w" + i + " w" + (i % 7));
        }
        Map<String, Long> byWord = new TreeMap<>();
        new TokenCounts().apply(lines.iterator()).forEachRemaining(p -> byWord.put(p.first(), p.second()));
        assertEquals(5000, byWord.size());
        assertEquals(1 + 5000 / 7 + 1, byWord.get("w1"));
        assertEquals(1L, byWord.get("w4999"));
    }

    @Test
    void onlyWhiteSpaceSplitsOfCountedOnesAreFused() {
        assertTrue(fused(spec("\\\\s+", "pairs, reduceByKey: sum")));
        assertFalse(fused(spec(",", "pairs, reduceByKey: sum")));
        assertFalse(fused(spec("(?U)\\\\s+", "pairs, reduceByKey: sum")));
        assertFalse(fused(spec("\\\\s+", "pairs, reduceByKey: max")));
        assertFalse(fused(spec("\\\\s+", "pairs, reduceByKey: sum").replace("value: 1", "value: 2")));
        assertFalse(fused(spec("\\\\s+", "pairs, reduceByKey: sum").replace("value: 1", "value: $1")));
    }

    /** Whether the compiler fuses the spec's {@code counts} stream. */
    private static boolean fused(String spec) {
        PipelineSpec parsed = new SpecParser().parse(spec);
        Map<String, StreamSpec> streams = new HashMap<>();
        parsed.streams().forEach(s -> streams.put(s.name(), s));
        return WordCountFusion.countedLines(streams, streams.get("counts")) != null;
    }
}
