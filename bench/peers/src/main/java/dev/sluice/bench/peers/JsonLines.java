package dev.sluice.bench.peers;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The per-batch result file: one flat JSON object of numbers per line, appended and flushed at
 * once so a harness can read it while the runner is still going (and after a kill).
 */
final class JsonLines implements AutoCloseable {

    private final BufferedWriter out;
    private int lines;

    JsonLines(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends {@code {"k1":v1,"k2":v2,...}} from alternating names and values. */
    synchronized void write(Object... namesAndValues) {
        StringBuilder line = new StringBuilder(160).append('{');
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (i > 0) {
                line.append(',');
            }
            line.append('"').append(namesAndValues[i]).append("\":").append(namesAndValues[i + 1]);
        }
        line.append("}\n");
        try {
            out.write(line.toString());
            out.flush();
            lines++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines written through this instance. */
    synchronized int lines() {
        return lines;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
