package dev.sluice.engine.codec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Whole-batch helpers over {@link RecordWriter} and {@link RecordReader}. */
public final class RecordCodec {

    private RecordCodec() {
    }

    /** Encodes every record of {@code records} into one byte array. */
    public static byte[] encode(Iterable<?> records) {
        RecordWriter w = new RecordWriter();
        w.writeAll(records);
        return w.toByteArray();
    }

    /** Encodes the rest of {@code records} into one byte array. */
    public static byte[] encode(Iterator<?> records) {
        RecordWriter w = new RecordWriter();
        while (records.hasNext()) {
            w.write(records.next());
        }
        return w.toByteArray();
    }

    /** Decodes all records of {@code data}. */
    public static List<Object> decode(byte[] data) {
        List<Object> out = new ArrayList<>();
        new RecordReader(data).forEachRemaining(out::add);
        return out;
    }

    /** Iterates the records of several encoded buffers, one after another. */
    public static Iterator<Object> iterate(List<byte[]> buffers) {
        return new Iterator<>() {
            private int next;
            private RecordReader current = new RecordReader(new byte[0]);

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (next == buffers.size()) {
                        return false;
                    }
                    current = new RecordReader(buffers.get(next++));
                }
                return true;
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return current.next();
            }
        };
    }
}
