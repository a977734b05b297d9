package dev.sluice.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads what saveAsTextFiles wrote of a per-key count: {@code (key,count)} lines in part files. */
final class CountFiles {

    private static final Pattern COUNT_LINE = Pattern.compile("\\((.+),(\\d+)\\)", Pattern.DOTALL);

    private CountFiles() {
    }

    /**
     * The counts of every part file under {@code out}, summed over batches; none when nothing is written yet.
     *
     * @throws IllegalStateException for a line that is not a count, or a part without {@code _SUCCESS} beside it
     */
    static Map<String, Long> sum(Path out) throws IOException {
        Map<String, Long> counts = new HashMap<>();
        if (!Files.isDirectory(out)) {
            return counts;
        }
        List<Path> parts;
        try (Stream<Path> files = Files.walk(out)) {
            parts = files.filter(f -> f.getFileName().toString().startsWith("part-")).toList();
        }
        for (Path part : parts) {
            if (!Files.exists(part.resolveSibling("_SUCCESS"))) {
                // Parts land before _SUCCESS: a batch still being written is read next time.
                continue;
            }
            for (String line : Files.readAllLines(part)) {
                Matcher m = COUNT_LINE.matcher(line);
                if (!m.matches()) {
                    throw new IllegalStateException("not a (key,count) line in " + part + ": " + line);
                }
                counts.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
            }
        }
        return counts;
    }
}
