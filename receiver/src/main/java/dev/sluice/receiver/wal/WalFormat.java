package dev.sluice.receiver.wal;

import dev.sluice.receiver.block.Block;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The format of one block's write-ahead log file, version 1. Big-endian throughout:
 *
 * <pre>
 * offset      size  field
 * 0           4     magic "SLWB"
 * 4           2     format version (1)
 * 6           4     H, the length of the header fields that follow
 * 10          H     header fields:
 *                     u16 length + UTF-8  block id
 *                     u16 length + UTF-8  job
 *                     i32                 source node
 *                     i64                 record count
 *                     i64                 received-at time, epoch ms
 *                     i32                 D, the length of the data
 *                     i32                 CRC32C of the data
 *                   (a later version may append fields; readers of this version ignore them)
 * 10+H        4     CRC32C of bytes [0, 10+H)
 * 14+H        D     the block's records, as RecordWriter wrote them
 * </pre>
 *
 * The file is exactly {@code 14 + H + D} bytes long. The header checksum is verified before
 * any length in it is trusted, so a damaged header is never read as a huge allocation.
 */
public final class WalFormat {

    /** The file's first four bytes. */
    static final int MAGIC = 0x534C5742; // "SLWB"
    /** The version this class writes; it reads only this one. */
    public static final short VERSION = 1;

    private static final int PREAMBLE = 4 + 2 + 4;
    private static final int HEADER_CRC = 4;
    /** Ids and job names are short; this only bounds what a damaged file can make us allocate. */
    private static final int MAX_HEADER = 1 << 17;

    private WalFormat() {
    }

    /** The header (everything before the data) of {@code block}'s file. */
    static ByteBuffer header(Block block) {
        byte[] id = utf8(block.id(), "block id");
        byte[] job = utf8(block.job(), "job");
        int h = 2 + id.length + 2 + job.length + 4 + 8 + 8 + 4 + 4;
        ByteBuffer b = ByteBuffer.allocate(PREAMBLE + h + HEADER_CRC);
        b.putInt(MAGIC).putShort(VERSION).putInt(h);
        b.putShort((short) id.length).put(id);
        b.putShort((short) job.length).put(job);
        b.putInt(block.node());
        b.putLong(block.records());
        b.putLong(block.receivedAtMs());
        b.putInt(block.data().length);
        b.putInt(crc(block.data(), 0, block.data().length));
        b.putInt(crc(b.array(), 0, PREAMBLE + h));
        return b.flip();
    }

    /** The whole file of {@code block}: its header, then its data. */
    public static byte[] encode(Block block) {
        ByteBuffer header = header(block);
        byte[] out = new byte[header.remaining() + block.data().length];
        header.get(out, 0, header.remaining());
        System.arraycopy(block.data(), 0, out, out.length - block.data().length, block.data().length);
        return out;
    }

    /**
     * Reads a block back from a file's bytes.
     *
     * @throws CorruptWalFileException saying what is wrong
     */
    public static Block decode(byte[] file) throws CorruptWalFileException {
        if (file.length < PREAMBLE + HEADER_CRC) {
            throw new CorruptWalFileException("truncated: " + file.length + " bytes, shorter than any header");
        }
        ByteBuffer b = ByteBuffer.wrap(file);
        int magic = b.getInt();
        if (magic != MAGIC) {
            throw new CorruptWalFileException(String.format("not a block log file (magic 0x%08x)", magic));
        }
        short version = b.getShort();
        if (version != VERSION) {
            throw new CorruptWalFileException("format version " + version + ", this receiver reads " + VERSION);
        }
        int h = b.getInt();
        if (h < 0 || h > MAX_HEADER) {
            throw new CorruptWalFileException("header length " + h + " is out of range");
        }
        if (file.length < PREAMBLE + h + HEADER_CRC) {
            throw new CorruptWalFileException("truncated: " + file.length + " bytes, the header alone needs "
                    + (PREAMBLE + h + HEADER_CRC));
        }
        int headerCrc = ByteBuffer.wrap(file, PREAMBLE + h, HEADER_CRC).getInt();
        if (headerCrc != crc(file, 0, PREAMBLE + h)) {
            throw new CorruptWalFileException("header checksum mismatch");
        }
        try {
            String id = string(b);
            String job = string(b);
            int node = b.getInt();
            long records = b.getLong();
            long receivedAtMs = b.getLong();
            int dataLength = b.getInt();
            int dataCrc = b.getInt();
            if (b.position() > PREAMBLE + h) {
                throw new CorruptWalFileException("header fields overrun the header length " + h);
            }
            long expected = (long) PREAMBLE + h + HEADER_CRC + dataLength;
            if (dataLength < 0 || file.length != expected) {
                throw new CorruptWalFileException((file.length < expected ? "truncated: " : "trailing bytes: ")
                        + file.length + " bytes, expected " + expected);
            }
            int dataStart = PREAMBLE + h + HEADER_CRC;
            if (dataCrc != crc(file, dataStart, dataLength)) {
                throw new CorruptWalFileException("data checksum mismatch");
            }
            if (records < 0 || id.isEmpty()) {
                throw new CorruptWalFileException("invalid header: block id '" + id + "', " + records + " records");
            }
            byte[] data = new byte[dataLength];
            System.arraycopy(file, dataStart, data, 0, dataLength);
            return new Block(id, job, node, data, records, receivedAtMs);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new CorruptWalFileException("header fields overrun the header length " + h);
        }
    }

    private static String string(ByteBuffer b) {
        int len = Short.toUnsignedInt(b.getShort());
        byte[] bytes = new byte[len];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s, String what) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException(what + " is too long for the log: " + bytes.length + " bytes");
        }
        return bytes;
    }

    static int crc(byte[] data, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(data, off, len);
        return (int) c.getValue();
    }
}
