package dev.sluice.receiver.wal;

import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.receiver.block.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteAheadLogTest {

    @TempDir
    Path dir;

    private static Block block(String id, String job, int node, long receivedAt, Object... records) {
        return new Block(id, job, node, RecordCodec.encode(List.of(records)), records.length, receivedAt);
    }

    private static void assertSameBlock(Block expected, Block actual) {
        assertEquals(expected.id(), actual.id());
        assertEquals(expected.job(), actual.job());
        assertEquals(expected.node(), actual.node());
        assertEquals(expected.records(), actual.records());
        assertEquals(expected.receivedAtMs(), actual.receivedAtMs());
        assertArrayEquals(expected.data(), actual.data());
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void writesBlocksWhereTheyBelongAndRecoversThemOldestFirst() throws Exception {
        WriteAheadLog wal = new WriteAheadLog(dir);
        Block newer = block("r-1-run.2", "wordcount", 1, 2000, "b", 2L);
        Block older = block("r-1-run.1", "wordcount", 1, 1000, "a");
        Block other = block("r-0-run.1", "other job/ü", 0, 1500, List.of("x", 1.5));
        wal.write(newer);
        wal.write(older);
        wal.write(other);
        assertEquals(3, wal.size());

        Path file = dir.resolve("wordcount").resolve("1").resolve("r-1-run.1.blk");
        assertEquals(file, wal.fileOf("wordcount", 1, "r-1-run.1"));
        assertTrue(Files.isRegularFile(file));
        assertEquals(dir.resolve("other%20job%2F%C3%BC").resolve("0").resolve("r-0-run.1.blk"),
                wal.fileOf("other job/ü", 0, "r-0-run.1"));
        assertEquals(3, files().size(), "no temporary file is left: " + files());

        WriteAheadLog restarted = new WriteAheadLog(dir);
        List<Block> recovered = restarted.recover();
        assertEquals(3, recovered.size());
        assertSameBlock(older, recovered.get(0));
        assertSameBlock(other, recovered.get(1));
        assertSameBlock(newer, recovered.get(2));
        assertEquals(List.of("b", 2L), RecordCodec.decode(recovered.get(2).data()));
        assertEquals(3, restarted.size());
        assertEquals(0, restarted.corruptFiles());
    }

    @Test
    void deletesProcessedBlocks() throws Exception {
        WriteAheadLog wal = new WriteAheadLog(dir);
        Block b = block("r-3-run.9", "j", 3, 1, "x");
        wal.write(b);
        assertTrue(wal.contains(b.id()));
        assertTrue(wal.delete("j", 3, b.id()));
        assertFalse(Files.exists(wal.fileOf("j", 3, b.id())));
        assertFalse(wal.contains(b.id()));
        assertFalse(wal.delete("j", 3, b.id()), "deleting twice is harmless");
        assertFalse(wal.delete("j", 3, "never-logged"));
        assertEquals(List.of(), new WriteAheadLog(dir).recover());
    }

    @Test
    void readsALoggedBlockBack() throws Exception {
        WriteAheadLog wal = new WriteAheadLog(dir);
        Block b = block("r-3-run.9", "j", 3, 1, "x", "y");
        wal.write(b);
        assertSameBlock(b, wal.read(b.id()).orElseThrow());
        assertTrue(wal.read("unknown").isEmpty());
        wal.delete(b);
        assertTrue(wal.read(b.id()).isEmpty());
    }

    @Test
    void movesTruncatedAndDamagedFilesAsideAndCountsThem() throws Exception {
        WriteAheadLog wal = new WriteAheadLog(dir);
        Block good = block("r-0-run.1", "j", 0, 1, "good");
        Block truncated = block("r-0-run.2", "j", 0, 2, "some", "records");
        Block flippedData = block("r-0-run.3", "j", 0, 3, "some", "records");
        Block flippedHeader = block("r-0-run.4", "j", 0, 4, "some", "records");
        Block empty = block("r-0-run.5", "j", 0, 5, "z");
        for (Block b : List.of(good, truncated, flippedData, flippedHeader, empty)) {
            wal.write(b);
        }
        Path t = wal.fileOf("j", 0, truncated.id());
        byte[] bytes = Files.readAllBytes(t);
        Files.write(t, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        flip(wal.fileOf("j", 0, flippedData.id()), -2);
        flip(wal.fileOf("j", 0, flippedHeader.id()), 12);
        Files.write(wal.fileOf("j", 0, empty.id()), new byte[0]);
        // A write a crash interrupted.
        Path temp = wal.fileOf("j", 0, "r-0-run.6").resolveSibling(".r-0-run.6.blk.tmp");
        Files.write(temp, new byte[] {1, 2, 3});

        WriteAheadLog restarted = new WriteAheadLog(dir);
        List<Block> recovered = restarted.recover();

        assertEquals(1, recovered.size());
        assertSameBlock(good, recovered.get(0));
        assertEquals(4, restarted.corruptFiles());
        for (Block b : List.of(truncated, flippedData, flippedHeader, empty)) {
            Path f = wal.fileOf("j", 0, b.id());
            assertFalse(Files.exists(f), f + " moved away");
            assertTrue(Files.exists(f.resolveSibling(f.getFileName() + ".corrupt")), f + " moved aside");
        }
        assertFalse(Files.exists(temp), "interrupted writes are removed");

        // Moved aside, they are not looked at again.
        WriteAheadLog again = new WriteAheadLog(dir);
        assertEquals(1, again.recover().size());
        assertEquals(0, again.corruptFiles());
    }

    @Test
    void treatsAFileUnderAnotherBlocksNameAsCorrupt() throws Exception {
        WriteAheadLog wal = new WriteAheadLog(dir);
        Block b = block("r-0-run.1", "j", 0, 1, "x");
        wal.write(b);
        Path moved = wal.fileOf("j", 7, "r-7-run.1");
        Files.createDirectories(moved.getParent());
        Files.move(wal.fileOf("j", 0, b.id()), moved);

        WriteAheadLog restarted = new WriteAheadLog(dir);
        assertEquals(List.of(), restarted.recover());
        assertEquals(1, restarted.corruptFiles());
    }

    @Test
    void recoversNothingFromADirectoryThatDoesNotExist() {
        WriteAheadLog wal = new WriteAheadLog(dir.resolve("nothing-here"));
        assertEquals(List.of(), wal.recover());
    }

    @Test
    void decodeNamesWhatIsWrong() {
        Block b = block("id", "j", 0, 1, "x");
        byte[] file = WalFormat.encode(b);
        assertTrue(message(java.util.Arrays.copyOf(file, 5)).contains("truncated"));
        assertTrue(message(java.util.Arrays.copyOf(file, file.length - 1)).contains("truncated"));
        byte[] longer = java.util.Arrays.copyOf(file, file.length + 1);
        assertTrue(message(longer).contains("trailing bytes"));
        byte[] magic = file.clone();
        magic[0] = 'X';
        assertTrue(message(magic).contains("magic"));
        byte[] version = file.clone();
        version[5] = 9;
        assertTrue(message(version).contains("version 9"), message(version));
        byte[] data = file.clone();
        data[data.length - 1] ^= 0x01;
        assertTrue(message(data).contains("data checksum"));
        byte[] header = file.clone();
        header[20] ^= 0x40;
        assertTrue(message(header).contains("header checksum"));
    }

    @Test
    void encodesNamesForTheFileSystem() {
        assertEquals("abc-DEF_09.x", WriteAheadLog.segment("abc-DEF_09.x"));
        assertEquals("%2E.", WriteAheadLog.segment(".."));
        assertEquals("a%2Fb%5Cc%20d", WriteAheadLog.segment("a/b\\c d"));
        assertEquals("%", WriteAheadLog.segment(""));
    }

    private static String message(byte[] file) {
        return assertThrows(CorruptWalFileException.class, () -> WalFormat.decode(file)).getMessage();
    }

    /** Flips one bit of the byte at {@code offset} (negative: from the end). */
    private static void flip(Path file, int offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int i = offset < 0 ? bytes.length + offset : offset;
        bytes[i] ^= 0x10;
        Files.write(file, bytes);
    }

    @Test
    void writingTheSameBlockAgainReplacesItsFile() throws Exception {
        WriteAheadLog wal = new WriteAheadLog(dir);
        wal.write(block("b", "j", 0, 1, "first"));
        wal.write(block("b", "j", 0, 1, "second"));
        List<Block> recovered = new WriteAheadLog(dir).recover();
        assertEquals(1, recovered.size());
        assertEquals(List.of("second"), RecordCodec.decode(recovered.get(0).data()));
        List<Path> all = new ArrayList<>(files());
        assertEquals(1, all.size(), all.toString());
    }
}
