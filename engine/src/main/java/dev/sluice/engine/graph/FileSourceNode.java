package dev.sluice.engine.graph;

import dev.sluice.engine.exec.TaskContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/** Lines of the files that arrive in a directory; the coordinator assigns one file per split. */
public final class FileSourceNode extends SourceNode {

    private final String directory;

    public FileSourceNode(int id, long batchIntervalMs, String directory) {
        super(id, batchIntervalMs);
        this.directory = directory;
    }

    public String directory() {
        return directory;
    }

    @Override
    protected Iterator<Object> read(InputSplit split, TaskContext ctx) {
        if (split instanceof InputSplit.File file) {
            try {
                List<String> lines = Files.readAllLines(Path.of(file.path()), StandardCharsets.UTF_8);
                return List.<Object>copyOf(lines).iterator();
            } catch (IOException e) {
                throw new UncheckedIOException("textFileStream(" + directory + "): cannot read " + file.path(), e);
            }
        }
        throw wrongSplit(split);
    }

    @Override
    public String describe() {
        return "textFileStream(" + directory + ")";
    }
}
