package dev.sluice.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Word count through real processes: a corpus streamed over a socket to a receiver, cut
 * into batches by the coordinator, counted by two stage-workers with a shuffle between
 * them, written per batch by saveAsTextFiles. Summed over batches, the counts must equal
 * the counts of the corpus exactly: no word lost, none counted twice.
 */
class WordCountIT {

    @TempDir
    Path tmp;

    @Test
    void countsEveryWordOfTheCorpusExactlyOnce() throws Exception {
        List<String> corpus = corpus(4000);
        Path out = tmp.resolve("out");
        try (CorpusServer source = new CorpusServer(corpus, 1000);
             LocalCluster cluster = new LocalCluster("wordcount")) {
            cluster.coordinator("wordcount", Map.of(
                            "source", "socket://localhost:" + source.port(),
                            "output", out.resolve("wc").toString(),
                            "batch", "1s"))
                    .receiver(0)
                    .worker(0, 2)
                    .worker(1, 2);
            cluster.awaitRecords("wordcount", corpus.size(), Duration.ofSeconds(90));
            Map<String, Long> counted = CountFiles.sum(out);
            assertTrue(!counted.isEmpty(), "no counts under " + out);
            assertEquals(expectedCounts(corpus), counted, "summed per-batch counts differ from the corpus");
            // The reduce side was placed on the workers while the map side ran (pre-placed stages),
            // and stages started with one message per worker (group scheduling).
            String metrics = cluster.get("/q/metrics");
            assertTrue(metric(metrics, "sluice_tasks_placed_ahead") > 0, "no task was placed ahead of its shuffle");
            assertTrue(metric(metrics, "sluice_stages_started_grouped") > 0, "no stage started under a group placement");
        }
    }

    private static double metric(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.eE+]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** The corpus's word counts, computed directly, with the job's tokenization. */
    private static Map<String, Long> expectedCounts(List<String> corpus) {
        Map<String, Long> counts = new HashMap<>();
        for (String line : corpus) {
            for (String w : line.split("\\s+")) {
                String word = w.replaceAll("^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+$", "").toLowerCase(Locale.ROOT);
                if (!word.isEmpty()) {
                    counts.merge(word, 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    /** Deterministic lines of 1–12 words from a skewed vocabulary, with some punctuation and case. */
    private static List<String> corpus(int lines) {
        Random random = new Random(42);
        String[] vocabulary = new String[500];
        for (int i = 0; i < vocabulary.length; i++) {
            vocabulary[i] = "w" + Integer.toString(i * 7919, 36);
        }
        List<String> out = new ArrayList<>(lines);
        for (int i = 0; i < lines; i++) {
            StringBuilder sb = new StringBuilder();
            int words = 1 + random.nextInt(12);
            for (int j = 0; j < words; j++) {
                // Squaring a uniform draw skews toward the first words, as real text does.
                double u = random.nextDouble();
                String w = vocabulary[(int) (u * u * vocabulary.length)];
                if (random.nextInt(10) == 0) {
                    w = w.toUpperCase(Locale.ROOT) + ",";
                }
                sb.append(j == 0 ? "" : " ").append(w);
            }
            out.add(sb.toString());
        }
        return out;
    }
}
