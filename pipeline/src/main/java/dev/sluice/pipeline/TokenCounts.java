package dev.sluice.pipeline;

import dev.sluice.api.Pair;
import dev.sluice.api.Utf8Records;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.function.Function;

/**
 * Counts the white-space-separated words of a partition's lines in one pass, without
 * building a string, a pair or a boxed number per word: the map side of a word count that
 * the spec compiler puts in place of {@code flatMap: {split: "\\s+"}} → {@code pair: {key: $0,
 * value: 1}} → {@code reduceByKey: sum} (see {@link PipelineBuilder}). The reduce side then
 * sums the per-partition counts, so the result is the same, record for record.
 *
 * <p>Lines read straight from a receiver block ({@link Utf8Records}) are counted from their
 * UTF-8 bytes, never decoded; other lines are encoded first. A word becomes a {@code String}
 * once per partition, when the counts are handed on (see {@link WordTable}).
 */
final class TokenCounts implements Function<Iterator<String>, Iterator<Pair<String, Long>>> {

    @Override
    public Iterator<Pair<String, Long>> apply(Iterator<String> lines) {
        WordTable table = new WordTable();
        if (lines instanceof Utf8Records encoded) {
            encoded.drainTo(new Utf8Records.Sink() {
                @Override
                public void text(byte[] bytes, int offset, int length) {
                    table.addWords(bytes, offset, length);
                }

                @Override
                public void other(Object record) {
                    add(table, (String) record);
                }
            });
        } else {
            while (lines.hasNext()) {
                add(table, lines.next());
            }
        }
        return table.entries();
    }

    private static void add(WordTable table, String line) {
        if (line != null) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            table.addWords(bytes, 0, bytes.length);
        }
    }
}
