package dev.sluice.receiver.wal;

import dev.sluice.receiver.block.Block;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiver's write-ahead log: one file per block, {@code <dir>/<job>/<node>/<block id>.blk}
 * in the {@link WalFormat}, written before the block is reported (or, for HTTP ingest,
 * acknowledged) and deleted once the coordinator says the block is processed.
 *
 * <p>A file is written under a temporary name, forced to disk, renamed atomically to its
 * final name, and the directory is forced too: a file with the final name is always whole
 * and durable. A crash can only leave temporary files, which {@link #recover()} removes
 * (their blocks were never reported nor acknowledged). Job names and block ids are
 * percent-encoded into file names where they hold anything but letters, digits,
 * {@code - _ .}; the file's header holds them verbatim.
 *
 * <p>Thread-safe: streams write their own directories concurrently.
 */
public final class WriteAheadLog {

    private static final Logger LOG = Logger.getLogger(WriteAheadLog.class);
    private static final String SUFFIX = ".blk";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final String CORRUPT_SUFFIX = ".corrupt";
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");

    private final Path root;
    /** The files of the blocks logged (written or recovered) and not yet deleted, by block id. */
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private final Set<Path> knownDirs = ConcurrentHashMap.newKeySet();
    private final AtomicLong corrupt = new AtomicLong();

    /** A log in {@code root}, which is created on the first write. */
    public WriteAheadLog(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The default directory of receiver {@code receiverId}'s log: {@code ${java.io.tmpdir}/sluice-wal/<id>}. */
    public static Path defaultDirectory(String receiverId) {
        return Path.of(System.getProperty("java.io.tmpdir"), "sluice-wal", segment(receiverId));
    }

    /** The log's directory. */
    public Path root() {
        return root;
    }

    /** The file block {@code blockId} of {@code job}'s node {@code node} is logged in. */
    public Path fileOf(String job, int node, String blockId) {
        return root.resolve(segment(job)).resolve(Integer.toString(node)).resolve(segment(blockId) + SUFFIX);
    }

    /**
     * Logs {@code block} durably: when this returns, the block's file is whole, on disk, and
     * named in its directory. Writing a block again replaces its file.
     *
     * @throws IOException if it could not be written; no file of it is left then
     */
    public void write(Block block) throws IOException {
        Path target = fileOf(block.job(), block.node(), block.id());
        Path dir = target.getParent();
        Path temp = dir.resolve("." + target.getFileName() + TEMP_SUFFIX);
        try {
            ensureDirectory(dir);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer[] parts = {WalFormat.header(block), ByteBuffer.wrap(block.data())};
                while (parts[0].hasRemaining() || parts[1].hasRemaining()) {
                    ch.write(parts);
                }
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(dir);
        } catch (IOException | RuntimeException e) {
            // A directory removed behind our back is created again on the next attempt.
            knownDirs.remove(dir);
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // Recovery removes temporary files anyway.
            }
            throw e;
        }
        files.put(block.id(), target);
    }

    /**
     * Deletes the file of a block, if it is logged. Returns whether there was one.
     * A failure is logged, not thrown: the block is then replayed once more after a restart,
     * and the coordinator answers that it is already processed.
     */
    public boolean delete(String job, int node, String blockId) {
        Path file = files.remove(blockId);
        if (file == null) {
            file = fileOf(job, node, blockId);
        }
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("cannot delete the log file %s of processed block %s: %s", file, blockId, e);
            return false;
        }
    }

    /** Deletes the file of {@code block}, if it is logged. */
    public boolean delete(Block block) {
        return delete(block.job(), block.node(), block.id());
    }

    /**
     * Reads a logged block back, for a fetch of a block no longer held in memory. Empty if it
     * is not logged (or its file has become unreadable, which is logged).
     */
    public Optional<Block> read(String blockId) {
        Path file = files.get(blockId);
        if (file == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(WalFormat.decode(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            files.remove(blockId, file);
            return Optional.empty();
        } catch (IOException | CorruptWalFileException e) {
            LOG.errorf("cannot read block %s back from the log file %s: %s", blockId, file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Whether block {@code blockId} is logged. */
    public boolean contains(String blockId) {
        return files.containsKey(blockId);
    }

    /** The ids of the blocks logged now. */
    public Set<String> blockIds() {
        return Set.copyOf(files.keySet());
    }

    /** How many blocks are logged. */
    public int size() {
        return files.size();
    }

    /** How many corrupt files {@link #recover()} moved aside, in this process. */
    public long corruptFiles() {
        return corrupt.get();
    }

    /**
     * Reads every block of the log, at startup, before anything is written to it. Temporary
     * files (a write a crash interrupted) are deleted. A file that is truncated, damaged,
     * of an unknown version, or stored under a name that does not match its header is logged,
     * renamed to {@code <file>.corrupt} and counted; it never fails the recovery. A file that
     * cannot be read at all (an I/O error) is logged and left where it is.
     *
     * @return the blocks, oldest first (by received-at time, then id)
     */
    public List<Block> recover() {
        List<Block> blocks = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return blocks;
        }
        for (Path jobDir : list(root)) {
            if (!Files.isDirectory(jobDir)) {
                continue;
            }
            for (Path nodeDir : list(jobDir)) {
                if (!Files.isDirectory(nodeDir)) {
                    continue;
                }
                for (Path file : list(nodeDir)) {
                    recoverFile(file).ifPresent(blocks::add);
                }
            }
        }
        blocks.sort(Comparator.comparingLong(Block::receivedAtMs).thenComparing(Block::id));
        if (!blocks.isEmpty() || corrupt.get() > 0) {
            LOG.infof("the write-ahead log in %s holds %d blocks to replay (%d corrupt files moved aside)", root,
                    blocks.size(), corrupt.get());
        }
        return blocks;
    }

    private Optional<Block> recoverFile(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(TEMP_SUFFIX)) {
            try {
                Files.deleteIfExists(file);
                LOG.debugf("deleted %s, a log write a crash interrupted", file);
            } catch (IOException e) {
                LOG.warnf("cannot delete the interrupted log write %s: %s", file, e);
            }
            return Optional.empty();
        }
        if (!name.endsWith(SUFFIX) || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            LOG.errorf("cannot read the log file %s, leaving it in place: %s", file, e);
            return Optional.empty();
        }
        try {
            Block block = WalFormat.decode(bytes);
            Path expected = fileOf(block.job(), block.node(), block.id());
            if (!expected.equals(file.toAbsolutePath().normalize())) {
                throw new CorruptWalFileException("it holds block " + block.id() + " of job " + block.job()
                        + " node " + block.node() + ", which belongs in " + expected);
            }
            knownDirs.add(file.getParent());
            files.put(block.id(), expected);
            return Optional.of(block);
        } catch (CorruptWalFileException e) {
            moveAside(file, e.getMessage());
            return Optional.empty();
        }
    }

    private void moveAside(Path file, String why) {
        corrupt.incrementAndGet();
        Path aside = file.resolveSibling(file.getFileName() + CORRUPT_SUFFIX);
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            LOG.errorf("the log file %s is corrupt (%s): moved aside to %s; its block is not replayed", file, why,
                    aside.getFileName());
        } catch (IOException e) {
            LOG.errorf("the log file %s is corrupt (%s) and cannot be moved aside (%s); its block is not replayed",
                    file, why, e);
        }
    }

    private static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(out::add);
        } catch (IOException e) {
            LOG.errorf("cannot list %s of the write-ahead log: %s", dir, e);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private void ensureDirectory(Path dir) throws IOException {
        if (knownDirs.contains(dir)) {
            return;
        }
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                // Another stream created it meanwhile.
            }
            // The new directory's entry must be durable too, or the files in it could vanish in a crash.
            if (p.getParent() != null) {
                forceDirectory(p.getParent());
            }
        }
        knownDirs.add(dir);
    }

    /** Forces a directory's entries to disk. */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory as a channel; NTFS makes the rename durable itself.
            if (!WINDOWS) {
                throw e;
            }
        }
    }

    /**
     * A file-name-safe form of {@code s}: letters, digits, {@code -}, {@code _} and (except
     * first) {@code .} stay; every other UTF-8 byte becomes {@code %XX}.
     */
    static String segment(String s) {
        if (s.isEmpty()) {
            return "%";
        }
        StringBuilder b = new StringBuilder(s.length());
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xFF;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_' || (c == '.' && i > 0);
            if (plain) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return b.toString();
    }
}
