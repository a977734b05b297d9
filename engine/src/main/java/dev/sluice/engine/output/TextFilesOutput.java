package dev.sluice.engine.output;

import dev.sluice.api.Pair;
import dev.sluice.engine.graph.Node;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.List;

/**
 * Writes every batch as text files: {@code prefix-<timeMs>[.suffix]/part-NNNNN}, one per
 * partition, each through a hidden temporary file and an atomic rename, then a
 * {@code _SUCCESS} marker once all parts are in. A retried or speculative attempt
 * rewrites the same part with the same content, so output is never torn or doubled.
 */
public final class TextFilesOutput extends OutputOperation {

    /** How a record becomes a line. */
    public enum Layout {
        /** {@code toString()} of the record, as Spark's saveAsTextFiles. */
        TEXT,
        /** {@code key<TAB>value}, as Hadoop's TextOutputFormat. */
        HADOOP
    }

    private final String prefix;
    private final String suffix;
    private final Layout layout;

    public TextFilesOutput(int index, Node stream, String prefix, String suffix, Layout layout) {
        super(index, stream);
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException((layout == Layout.HADOOP ? "saveAsHadoopFiles" : "saveAsTextFiles")
                    + ": prefix must not be empty");
        }
        this.prefix = prefix;
        this.suffix = suffix;
        this.layout = layout;
    }

    /** The directory of the batch at {@code batchTimeMs}, as Spark names it. */
    public Path directory(long batchTimeMs) {
        String name = prefix + "-" + batchTimeMs;
        return Path.of(suffix == null || suffix.isEmpty() ? name : name + "." + suffix);
    }

    @Override
    public byte[] runTask(Iterator<Object> records, long batchTimeMs, int partition) {
        Path dir = directory(batchTimeMs);
        String part = String.format("part-%05d", partition);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + part + "-", ".tmp");
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                while (records.hasNext()) {
                    String line = line(records.next());
                    if (line != null) {
                        w.write(line);
                        w.write('\n');
                    }
                }
            }
            Files.move(tmp, dir.resolve(part), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(part), e);
        }
        return new byte[0];
    }

    /** The line for {@code record}, or {@code null} for none (Hadoop skips a pair whose key and value are both null). */
    private String line(Object record) {
        if (layout == Layout.HADOOP && record instanceof Pair<?, ?> p) {
            // As Hadoop's TextOutputFormat: a null key or value is left out, and so is the tab between them.
            if (p.first() == null) {
                return p.second() == null ? null : String.valueOf(p.second());
            }
            return p.second() == null ? String.valueOf(p.first()) : p.first() + "\t" + p.second();
        }
        return String.valueOf(record);
    }

    @Override
    public void finish(long batchTimeMs, List<byte[]> partitionResults) throws IOException {
        Path dir = directory(batchTimeMs);
        Files.createDirectories(dir);
        Path marker = dir.resolve("_SUCCESS");
        if (!Files.exists(marker)) {
            Files.createFile(marker);
        }
    }

    @Override
    public String describe() {
        return (layout == Layout.HADOOP ? "saveAsHadoopFiles(" : "saveAsTextFiles(") + prefix + "," + suffix + ")";
    }
}
