package dev.sluice.engine.codec;

import dev.sluice.api.Pair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Appends records to a growable byte buffer in Sluice's binary record format: one tag
 * byte, then the value. The common types (strings, boxed primitives, {@link Pair},
 * lists, maps, {@link Optional}, byte arrays) are written by hand, with no reflection,
 * so the format is fast and works unchanged in a native image; anything else must be
 * {@link Serializable} and goes through Java serialization.
 */
public final class RecordWriter {

    private byte[] buf;
    private int pos;

    /** A writer with a small initial buffer. */
    public RecordWriter() {
        this(256);
    }

    /** A writer whose buffer starts at {@code capacity} bytes. */
    public RecordWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    /** Appends one record. */
    public void write(Object value) {
        if (value == null) {
            put(Tag.NULL);
        } else if (value instanceof String s) {
            put(Tag.STRING);
            writeString(s);
        } else if (value instanceof Long l) {
            put(Tag.LONG);
            writeVarLong(zigzag(l));
        } else if (value instanceof Integer i) {
            put(Tag.INT);
            writeVarLong(zigzag(i));
        } else if (value instanceof Pair<?, ?> p) {
            put(Tag.PAIR);
            write(p.first());
            write(p.second());
        } else if (value instanceof Double d) {
            put(Tag.DOUBLE);
            writeFixedLong(Double.doubleToRawLongBits(d));
        } else if (value instanceof Boolean b) {
            put(b ? Tag.TRUE : Tag.FALSE);
        } else if (value instanceof List<?> list) {
            put(Tag.LIST);
            writeVarLong(list.size());
            for (Object o : list) {
                write(o);
            }
        } else if (value instanceof Optional<?> o) {
            if (o.isPresent()) {
                put(Tag.OPTIONAL);
                write(o.get());
            } else {
                put(Tag.OPTIONAL_EMPTY);
            }
        } else if (value instanceof byte[] bytes) {
            put(Tag.BYTES);
            writeVarLong(bytes.length);
            putBytes(bytes, 0, bytes.length);
        } else if (value instanceof Float f) {
            put(Tag.FLOAT);
            writeFixedLong(Float.floatToRawIntBits(f));
        } else if (value instanceof Short s) {
            put(Tag.SHORT);
            writeVarLong(zigzag(s));
        } else if (value instanceof Byte b) {
            put(Tag.BYTE);
            put(b);
        } else if (value instanceof Character c) {
            put(Tag.CHAR);
            writeVarLong(c);
        } else if (value instanceof Map<?, ?> map) {
            put(Tag.MAP);
            writeVarLong(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                write(e.getKey());
                write(e.getValue());
            }
        } else if (value instanceof Serializable) {
            put(Tag.SERIALIZED);
            byte[] bytes = serialize(value);
            writeVarLong(bytes.length);
            putBytes(bytes, 0, bytes.length);
        } else {
            throw new IllegalArgumentException("cannot encode a record of type " + value.getClass().getName()
                    + ": use strings, numbers, Pair, List, Map, Optional, or make it Serializable");
        }
    }

    /**
     * Appends a string record given as its UTF-8 bytes, exactly as {@link #write} would
     * encode the string they decode to. The caller vouches that the bytes are valid UTF-8.
     */
    public void writeUtf8String(byte[] utf8, int offset, int length) {
        put(Tag.STRING);
        writeVarLong(length);
        putBytes(utf8, offset, length);
    }

    /** Appends every record of {@code values}. */
    public void writeAll(Iterable<?> values) {
        for (Object v : values) {
            write(v);
        }
    }

    /** The number of bytes written so far. */
    public int size() {
        return pos;
    }

    /** A copy of the bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** Forgets what was written, keeping the buffer. */
    public void reset() {
        pos = 0;
    }

    private void writeString(String s) {
        // getBytes is an intrinsic bulk copy for the usual Latin-1 strings; a loop over
        // charAt costs five times as much (bench/jmh RecordCodecBench).
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        writeVarLong(utf8.length);
        putBytes(utf8, 0, utf8.length);
    }

    private void writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    private void writeFixedLong(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[pos++] = (byte) (v >>> (8 * i));
        }
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private void put(byte b) {
        ensure(1);
        buf[pos++] = b;
    }

    private void putBytes(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, buf, pos, len);
        pos += len;
    }

    private void ensure(int extra) {
        if (pos + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }
    }

    private static byte[] serialize(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
            oos.writeObject(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize a record of type " + value.getClass().getName(), e);
        }
        return out.toByteArray();
    }
}
