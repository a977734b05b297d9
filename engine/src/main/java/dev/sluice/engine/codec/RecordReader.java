package dev.sluice.engine.codec;

import dev.sluice.api.Pair;
import dev.sluice.api.Utf8Records;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Reads the records a {@link RecordWriter} wrote, one after another; or hands the strings
 * among them out as their UTF-8 bytes ({@link Utf8Records}), without decoding them.
 */
public final class RecordReader implements Iterator<Object>, Utf8Records {

    private final byte[] buf;
    private final int end;
    private int pos;

    /** Reads all of {@code data}. */
    public RecordReader(byte[] data) {
        this(data, 0, data.length);
    }

    /** Reads {@code length} bytes of {@code data} from {@code offset}. */
    public RecordReader(byte[] data, int offset, int length) {
        this.buf = data;
        this.pos = offset;
        this.end = offset + length;
    }

    @Override
    public boolean hasNext() {
        return pos < end;
    }

    @Override
    public Object next() {
        if (pos >= end) {
            throw new NoSuchElementException();
        }
        return read();
    }

    @Override
    public void drainTo(Sink sink) {
        while (pos < end) {
            if (buf[pos] == Tag.STRING) {
                pos++;
                int n = readLength();
                int at = pos;
                pos += n;
                sink.text(buf, at, n);
            } else {
                sink.other(read());
            }
        }
    }

    private Object read() {
        byte tag = get();
        return switch (tag) {
            case Tag.NULL -> null;
            case Tag.STRING -> readString();
            case Tag.LONG -> unzigzag(readVarLong());
            case Tag.INT -> (int) unzigzag(readVarLong());
            case Tag.PAIR -> {
                Object first = read();
                yield Pair.of(first, read());
            }
            case Tag.DOUBLE -> Double.longBitsToDouble(readFixedLong());
            case Tag.TRUE -> Boolean.TRUE;
            case Tag.FALSE -> Boolean.FALSE;
            case Tag.LIST -> {
                int n = readLength();
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(read());
                }
                yield list;
            }
            case Tag.OPTIONAL_EMPTY -> Optional.empty();
            case Tag.OPTIONAL -> Optional.ofNullable(read());
            case Tag.BYTES -> {
                int n = readLength();
                byte[] bytes = new byte[n];
                System.arraycopy(buf, pos, bytes, 0, n);
                pos += n;
                yield bytes;
            }
            case Tag.FLOAT -> Float.intBitsToFloat((int) readFixedLong());
            case Tag.SHORT -> (short) unzigzag(readVarLong());
            case Tag.BYTE -> get();
            case Tag.CHAR -> (char) readVarLong();
            case Tag.MAP -> {
                int n = readLength();
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Object k = read();
                    map.put(k, read());
                }
                yield map;
            }
            case Tag.SERIALIZED -> deserialize(readLength());
            default -> throw new CorruptRecordException("unknown record tag " + tag + " at byte " + (pos - 1));
        };
    }

    private String readString() {
        int n = readLength();
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    private int readLength() {
        long n = readVarLong();
        if (n < 0 || n > end - pos) {
            throw new CorruptRecordException("length " + n + " at byte " + pos + " runs past the end of the data");
        }
        return (int) n;
    }

    private long readVarLong() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = get();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new CorruptRecordException("varint longer than 10 bytes at byte " + pos);
    }

    private long readFixedLong() {
        if (end - pos < 8) {
            throw new CorruptRecordException("truncated number at byte " + pos);
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) (buf[pos++] & 0xFF) << (8 * i);
        }
        return v;
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private byte get() {
        if (pos >= end) {
            throw new CorruptRecordException("record truncated at byte " + pos);
        }
        return buf[pos++];
    }

    private Object deserialize(int n) {
        int start = pos;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(buf, pos, n))) {
            pos += n;
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new CorruptRecordException("cannot deserialize record at byte " + start + ": " + e);
        }
    }
}
