package dev.sluice.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.api.Pair;
import dev.sluice.engine.codec.RecordReader;
import dev.sluice.engine.codec.RecordWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenCounts} counts what {@code split("\\s+")} would find, whether it reads decoded
 * lines or a block's encoded records, on words of every length around the packed short-word
 * limits (8 and 16 bytes), with control characters, NUL, non-ASCII letters, non-breaking spaces, malformed
 * UTF-8 and lone surrogates, at every position in the block (the last words run up to the
 * end of the buffer, where eight bytes cannot be read at once).
 */
class TokenCountsTest {

    private static final String[] WORDS = {"a", "be", "cat", "dogs", "emile", "frogsx", "gazelle", "hippopot",
        "ibexibexi", "jackalope-jackalope", "émile", "日本語", "x\u00A0y", "ctl\u0001x", "nul\u0000", "\u0000",
        "del\u007F", "\u001F", "A,B.C!", "~~~~~~~", "straße", "fourteen-chars", "fifteen-chars!!", "sixteen-chars!!!",
        "seventeen-chars!!", "eight\u0001ctl-nine", "eightchr\u0001x", "hippopotamusé", "twelve-chars\u00A0x"};
    private static final String[] SPACES = {" ", "  ", "\t", "\n", "\r", "\u000B", "\f", " \t "};

    @Test
    void countsFromEncodedRecordsAsASplitOfTheDecodedLinesWould() {
        for (long seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            List<byte[]> lines = new ArrayList<>();
            for (int l = random.nextInt(30); l > 0; l--) {
                lines.add(randomLine(random).getBytes(StandardCharsets.UTF_8));
            }
            if (random.nextBoolean()) {
                // Malformed UTF-8: a lone continuation byte, a cut two-byte character, an overlong slash.
                lines.add(new byte[] {'o', 'k', ' ', (byte) 0x80, 'z', ' ', (byte) 0xC3, ' ', (byte) 0xC0, (byte) 0xAF});
            }
            RecordWriter writer = new RecordWriter();
            Map<String, Long> expected = new HashMap<>();
            for (byte[] line : lines) {
                if (random.nextInt(10) == 0) {
                    writer.write(null);
                }
                writer.writeUtf8String(line, 0, line.length);
                countBySplit(new String(line, StandardCharsets.UTF_8), expected);
            }
            byte[] block = writer.toByteArray();
            assertEquals(expected, counts(new TokenCounts().apply(strings(new RecordReader(block)))), "seed " + seed);
        }
    }

    @Test
    void countsDecodedLinesAsTheirSplitWouldAfterAShuffle() {
        for (long seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            List<String> lines = new ArrayList<>();
            Map<String, Long> expected = new HashMap<>();
            for (int l = random.nextInt(30); l > 0; l--) {
                String line = randomLine(random) + (random.nextInt(8) == 0 ? " lone\uD800 " : "");
                lines.add(line);
                countBySplit(line, expected);
            }
            // A shuffle carries words as UTF-8, where a lone surrogate becomes '?'.
            Map<String, Long> shuffled = new HashMap<>();
            expected.forEach((w, n) -> shuffled.merge(new String(w.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), n, Long::sum));
            assertEquals(shuffled, counts(new TokenCounts().apply(lines.iterator())), "seed " + seed);
        }
    }

    @Test
    void growsBothTablesWithoutLosingAWord() {
        RecordWriter writer = new RecordWriter();
        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            String line = "w" + i + " long-word-" + (i % 3000) + " x";
            writer.write(line);
            countBySplit(line, expected);
        }
        Map<String, Long> counted = counts(new TokenCounts().apply(strings(new RecordReader(writer.toByteArray()))));
        assertEquals(expected, counted);
        assertEquals(20_000L, counted.get("x"));
    }

    private static String randomLine(Random random) {
        StringBuilder line = new StringBuilder();
        for (int w = random.nextInt(12); w > 0; w--) {
            if (random.nextBoolean()) {
                line.append(SPACES[random.nextInt(SPACES.length)]);
            }
            line.append(WORDS[random.nextInt(WORDS.length)]).append(SPACES[random.nextInt(SPACES.length)]);
        }
        if (random.nextBoolean()) {
            line.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return line.toString();
    }

    private static void countBySplit(String line, Map<String, Long> counts) {
        for (String w : line.split("\\s+")) {
            if (!w.isEmpty()) {
                counts.merge(w, 1L, Long::sum);
            }
        }
    }

    private static Map<String, Long> counts(Iterator<Pair<String, Long>> pairs) {
        Map<String, Long> byWord = new HashMap<>();
        pairs.forEachRemaining(p -> assertNull(byWord.put(p.first(), p.second()), "twice: " + p.first()));
        return byWord;
    }

    @SuppressWarnings("unchecked")
    private static Iterator<String> strings(RecordReader reader) {
        return (Iterator<String>) (Iterator<?>) reader;
    }
}
