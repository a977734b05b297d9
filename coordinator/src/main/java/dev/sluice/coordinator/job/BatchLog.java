package dev.sluice.coordinator.job;

import dev.sluice.engine.graph.InputSplit;
import dev.sluice.protocol.BatchCut;
import dev.sluice.protocol.BatchEnd;
import dev.sluice.protocol.BatchLogEntry;
import dev.sluice.protocol.JobStart;
import dev.sluice.protocol.convert.TaskMessages;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * The coordinator's metadata checkpoint of one job, as Spark's checkpointed
 * {@code JobGenerator} state: the job's zero time, and every batch cut with its inputs
 * and whether it ended. Each entry is forced to disk before the batch it records goes on,
 * so a coordinator that restarts on the same directory runs again exactly the batches that
 * were cut and did not end, under their original times and inputs, and cuts the next
 * batch where the old one stopped. Old entries are compacted away once no recomputation
 * can need their inputs.
 */
public final class BatchLog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BatchLog.class.getName());
    private static final String FILE = "batches.log";
    private static final int COMPACT_EVERY = 512;

    /**
     * What a log says about the job it belongs to.
     *
     * @param zeroTimeMs the job's zero time
     * @param cuts       the batches cut and still remembered, with their inputs, by time
     * @param ended      the times of the remembered batches that ended
     */
    public record Saved(long zeroTimeMs, NavigableMap<Long, Map<Integer, List<InputSplit>>> cuts, TreeSet<Long> ended) {

        /** The batches cut and not ended, oldest first: they run again. */
        public NavigableMap<Long, Map<Integer, List<InputSplit>>> unfinished() {
            NavigableMap<Long, Map<Integer, List<InputSplit>>> left = new TreeMap<>(cuts);
            left.keySet().removeAll(ended);
            return left;
        }

        /** The time of the last batch cut, or the zero time when none was. */
        public long lastCutMs() {
            return cuts.isEmpty() ? zeroTimeMs : cuts.lastKey();
        }
    }

    private final Path file;
    private final JobStart start;
    private final long keepInputMs;
    private final Saved saved;
    private final NavigableMap<Long, BatchCut> cuts = new TreeMap<>();
    private final TreeMap<Long, Boolean> ended = new TreeMap<>();
    private FileChannel channel;
    private int appended;

    /**
     * Opens the log of a job in {@code directory}, reading what an earlier coordinator saved.
     *
     * @param keepInputMs how long after the latest ended batch an earlier batch's inputs are kept
     * @throws IllegalStateException when the saved job is a different graph or batch interval,
     *                               or the log cannot be read
     */
    public static BatchLog open(Path directory, String fingerprint, long batchIntervalMs, long newZeroTimeMs,
                                long keepInputMs) {
        return new BatchLog(directory.resolve(FILE), fingerprint, batchIntervalMs, newZeroTimeMs, keepInputMs);
    }

    private BatchLog(Path file, String fingerprint, long batchIntervalMs, long newZeroTimeMs, long keepInputMs) {
        this.file = file;
        this.keepInputMs = keepInputMs;
        JobStart found = Files.exists(file) ? read(fingerprint, batchIntervalMs) : null;
        if (found == null) {
            start = JobStart.newBuilder().setFingerprint(fingerprint).setZeroTimeMs(newZeroTimeMs)
                    .setBatchIntervalMs(batchIntervalMs).build();
            saved = null;
        } else {
            start = found;
            NavigableMap<Long, Map<Integer, List<InputSplit>>> inputs = new TreeMap<>();
            cuts.forEach((t, cut) -> inputs.put(t, TaskMessages.fromProto(cut.getSourcesList())));
            saved = new Saved(found.getZeroTimeMs(), inputs, new TreeSet<>(ended.keySet()));
        }
        rewrite();
    }

    /** What the previous coordinator saved, or {@code null} when the job starts fresh. */
    public Saved saved() {
        return saved;
    }

    /** The job's zero time: the saved one when resuming. */
    public long zeroTimeMs() {
        return start.getZeroTimeMs();
    }

    /** Records, durably, that the batch at {@code batchTimeMs} was cut with {@code splits}. */
    public synchronized void cut(long batchTimeMs, Map<Integer, List<InputSplit>> splits) {
        BatchCut cut = BatchCut.newBuilder().setBatchTimeMs(batchTimeMs).addAllSources(TaskMessages.toProto(splits)).build();
        cuts.put(batchTimeMs, cut);
        append(BatchLogEntry.newBuilder().setCut(cut).build());
    }

    /** Records, durably, that the batch at {@code batchTimeMs} ended, well or not: it never runs again. */
    public synchronized void end(long batchTimeMs, boolean succeeded) {
        ended.put(batchTimeMs, succeeded);
        append(BatchLogEntry.newBuilder().setEnd(BatchEnd.newBuilder().setBatchTimeMs(batchTimeMs).setSucceeded(succeeded)).build());
        if (++appended >= COMPACT_EVERY) {
            compact();
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.warning("closing " + file + " failed: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }

    /** Drops batches that ended so long ago that no recomputation reads their inputs. */
    private void compact() {
        if (!ended.isEmpty()) {
            long keepFrom = ended.lastKey() - keepInputMs;
            cuts.headMap(keepFrom, false).keySet().removeIf(ended::containsKey);
            ended.headMap(keepFrom, false).clear();
        }
        rewrite();
    }

    private void append(BatchLogEntry entry) {
        try {
            channel.write(ByteBuffer.wrap(delimited(entry)));
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the batch log " + file, e);
        }
    }

    /** Writes the whole log anew, atomically, and reopens it for appending. */
    private void rewrite() {
        close();
        appended = 0;
        try {
            Files.createDirectories(file.getParent());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(delimited(BatchLogEntry.newBuilder().setStart(start).build()));
            for (BatchCut cut : cuts.values()) {
                out.write(delimited(BatchLogEntry.newBuilder().setCut(cut).build()));
                Boolean succeeded = ended.get(cut.getBatchTimeMs());
                if (succeeded != null) {
                    out.write(delimited(BatchLogEntry.newBuilder().setEnd(BatchEnd.newBuilder()
                            .setBatchTimeMs(cut.getBatchTimeMs()).setSucceeded(succeeded)).build()));
                }
            }
            Path tmp = Files.createTempFile(file.getParent(), "." + FILE, ".tmp");
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                c.write(ByteBuffer.wrap(out.toByteArray()));
                c.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the batch log " + file, e);
        }
    }

    private static byte[] delimited(BatchLogEntry entry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(entry.getSerializedSize() + 5);
        entry.writeDelimitedTo(out);
        return out.toByteArray();
    }

    /** Reads the saved log; a torn last entry (a crash while appending) is ignored. */
    private JobStart read(String fingerprint, long batchIntervalMs) {
        JobStart found = null;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            while (true) {
                BatchLogEntry entry;
                try {
                    entry = BatchLogEntry.parseDelimitedFrom(in);
                } catch (IOException torn) {
                    LOG.warning("the batch log " + file + " ends in a torn entry, written as the coordinator stopped; "
                            + "ignoring it: " + torn.getMessage());
                    break;
                }
                if (entry == null) {
                    break;
                }
                switch (entry.getKindCase()) {
                    case START -> found = entry.getStart();
                    case CUT -> cuts.put(entry.getCut().getBatchTimeMs(), entry.getCut());
                    case END -> ended.put(entry.getEnd().getBatchTimeMs(), entry.getEnd().getSucceeded());
                    case KIND_NOT_SET -> throw new IllegalStateException("the batch log " + file + " holds an empty entry");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the batch log " + file, e);
        }
        if (found == null) {
            throw new IllegalStateException("the batch log " + file + " does not say which job it belongs to");
        }
        if (!found.getFingerprint().equals(fingerprint) || found.getBatchIntervalMs() != batchIntervalMs) {
            throw new IllegalStateException("the checkpoint directory holds job graph " + found.getFingerprint()
                    + " (batch interval " + found.getBatchIntervalMs() + " ms) in " + file + ", but the job is now defined as graph "
                    + fingerprint + " (batch interval " + batchIntervalMs + " ms): its code or arguments changed. "
                    + "Resume it unchanged, or start it with a new checkpoint directory (or delete " + file.getParent().getParent()
                    + ") to start over");
        }
        return found;
    }
}
