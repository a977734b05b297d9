package dev.sluice.engine.codec;

import dev.sluice.api.Pair;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordCodecTest {

    /** Encodes {@code value} alone, decodes it, and checks that exactly one record came back. */
    private static Object roundTrip(Object value) {
        RecordWriter w = new RecordWriter();
        w.write(value);
        RecordReader r = new RecordReader(w.toByteArray());
        assertTrue(r.hasNext(), "one record expected");
        Object back = r.next();
        assertFalse(r.hasNext(), "exactly one record expected");
        return back;
    }

    /** Round-trips {@code value} and checks equality and that the exact class is kept. */
    private static void assertRoundTrips(Object value) {
        Object back = roundTrip(value);
        assertEquals(value, back);
        assertEquals(value.getClass(), back.getClass(), "type of " + value);
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    record Point(String name, int x, int y) implements Serializable {
    }

    static final class Opaque {
    }

    static final class HoldsOpaque implements Serializable {
        @SuppressWarnings("unused")
        private final Opaque inner = new Opaque();
    }

    @Nested
    class RoundTrips {

        @Test
        void nullValue() {
            assertNull(roundTrip(null));
        }

        @Test
        void strings() {
            assertRoundTrips("");
            assertRoundTrips("hello");
            assertRoundTrips("with\ttab and\nnewline and \0 nul");
            assertRoundTrips("\u007f");          // last one-byte UTF-8 char
            assertRoundTrips("\u0080");          // first two-byte UTF-8 char
            assertRoundTrips("héllo wörld");
            assertRoundTrips("日本語のテキスト");
            assertRoundTrips("emoji \uD83D\uDE00 (a surrogate pair)");
            assertRoundTrips("a".repeat(127));   // length varint boundaries
            assertRoundTrips("a".repeat(128));
            assertRoundTrips("é".repeat(64));    // 128 UTF-8 bytes
        }

        @Test
        void stringsAreUtf8OnTheWire() {
            // the slow path writes the UTF-8 bytes after a varint length: "é" is 2 bytes
            byte[] data = RecordCodec.encode(List.of("é"));
            byte[] utf8 = "é".getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(bytes(1, 2, utf8[0] & 0xFF, utf8[1] & 0xFF), data);
        }

        @Test
        void longStrings() {
            StringBuilder ascii = new StringBuilder();
            for (int i = 0; i < 100_000; i++) {
                ascii.append((char) ('a' + i % 26));
            }
            String s = ascii.toString();
            assertEquals(100_000, s.length());
            assertRoundTrips(s);

            String nonAscii = "aé日".repeat(40_000); // 120k chars, 240k UTF-8 bytes
            assertRoundTrips(nonAscii);
            // a non-ASCII char late in the string forces the slow path after a long ASCII prefix
            assertRoundTrips(s + "ü");
        }

        @Test
        void integers() {
            for (int i : new int[] {0, 1, -1, 63, 64, -64, -65, 127, 128, 300, -300, 65_535,
                    Integer.MIN_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE, Integer.MAX_VALUE - 1}) {
                assertRoundTrips(i);
            }
        }

        @Test
        void longs() {
            for (long l : new long[] {0L, 1L, -1L, 300L, -300L, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L,
                    1L << 62, -(1L << 62), Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE, Long.MAX_VALUE - 1}) {
                assertRoundTrips(l);
            }
        }

        @Test
        void integerAndLongStayDistinct() {
            assertEquals(Integer.class, roundTrip(5).getClass());
            assertEquals(Long.class, roundTrip(5L).getClass());
            assertEquals(Short.class, roundTrip((short) 5).getClass());
            assertEquals(Byte.class, roundTrip((byte) 5).getClass());
        }

        @Test
        void doubles() {
            for (double d : new double[] {0.0, 1.5, -2.25, Math.PI, Double.MIN_VALUE, Double.MAX_VALUE,
                    Double.MIN_NORMAL, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                assertRoundTrips(d);
            }
            Object nan = roundTrip(Double.NaN);
            assertInstanceOf(Double.class, nan);
            assertTrue(((Double) nan).isNaN());

            Object negativeZero = roundTrip(-0.0);
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) negativeZero),
                    "-0.0 must keep its sign");
            assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits((Double) roundTrip(0.0)));
        }

        @Test
        void floats() {
            for (float f : new float[] {0f, 1.5f, -3.25f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
                    Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                assertRoundTrips(f);
            }
            Object nan = roundTrip(Float.NaN);
            assertInstanceOf(Float.class, nan);
            assertTrue(((Float) nan).isNaN());
            assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits((Float) roundTrip(-0.0f)));
        }

        @Test
        void booleans() {
            assertRoundTrips(true);
            assertRoundTrips(false);
        }

        @Test
        void shortsBytesAndChars() {
            for (short s : new short[] {0, 1, -1, Short.MIN_VALUE, Short.MAX_VALUE}) {
                assertRoundTrips(s);
            }
            for (byte b : new byte[] {0, 1, -1, Byte.MIN_VALUE, Byte.MAX_VALUE}) {
                assertRoundTrips(b);
            }
            for (char c : new char[] {'a', '\0', 'é', '日', '\uD83D', Character.MAX_VALUE}) {
                assertRoundTrips(c);
            }
        }

        @Test
        void byteArrays() {
            assertArrayEquals(new byte[0], (byte[]) roundTrip(new byte[0]));
            byte[] all = new byte[256];
            for (int i = 0; i < 256; i++) {
                all[i] = (byte) i;
            }
            assertArrayEquals(all, (byte[]) roundTrip(all));
            byte[] big = new byte[200_000];
            Arrays.fill(big, (byte) 7);
            assertArrayEquals(big, (byte[]) roundTrip(big));
        }

        @Test
        void pairsNested() {
            assertRoundTrips(Pair.of("a", 1));
            assertRoundTrips(Pair.of(null, null));
            Pair<String, Pair<Integer, Pair<Long, List<String>>>> nested =
                    Pair.of("k", Pair.of(1, Pair.of(-2L, List.of("x", "y"))));
            Object back = roundTrip(nested);
            assertEquals(nested, back);
            assertEquals("(k,(1,(-2,[x, y])))", back.toString());
        }

        @Test
        void lists() {
            assertEquals(List.of(), roundTrip(List.of()));
            List<Object> mixed = Arrays.asList("a", 1, null, 2.5, 3L, Pair.of("p", 'q'), List.of(List.of(1), List.of()));
            assertEquals(mixed, roundTrip(mixed));
            List<Integer> many = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                many.add(i - 500);
            }
            assertEquals(many, roundTrip(many));
        }

        @Test
        void mapsKeepEntriesAndOrder() {
            assertEquals(Map.of(), roundTrip(Map.of()));
            Map<Object, Object> map = new LinkedHashMap<>();
            map.put("z", 1);
            map.put("a", null);
            map.put(3L, List.of("x"));
            map.put(null, Pair.of(1, 2));
            Object back = roundTrip(map);
            assertEquals(map, back);
            assertEquals(new ArrayList<>(map.keySet()), new ArrayList<>(((Map<?, ?>) back).keySet()));
        }

        @Test
        void optionals() {
            assertEquals(Optional.empty(), roundTrip(Optional.empty()));
            assertEquals(Optional.of("x"), roundTrip(Optional.of("x")));
            assertEquals(Optional.of(Pair.of(1, Optional.empty())), roundTrip(Optional.of(Pair.of(1, Optional.empty()))));
        }

        @Test
        void serializableTypes() {
            assertRoundTrips(new Point("p", -3, 42));
            assertRoundTrips(LocalDate.of(2024, 2, 29));
            assertRoundTrips(new BigDecimal("12345678901234567890.0001"));
            assertEquals(List.of(new Point("a", 1, 2), new Point("b", 3, 4)),
                    roundTrip(List.of(new Point("a", 1, 2), new Point("b", 3, 4))));
        }
    }

    @Nested
    class Buffers {

        @Test
        void manyRecordsInOneBuffer() {
            List<Object> records = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                switch (i % 6) {
                    case 0 -> records.add("s" + i);
                    case 1 -> records.add(i);
                    case 2 -> records.add((long) -i);
                    case 3 -> records.add(Pair.of("k" + i, (double) i / 3));
                    case 4 -> records.add(null);
                    default -> records.add(List.of(i, "é" + i));
                }
            }
            assertEquals(records, RecordCodec.decode(RecordCodec.encode(records)));
            assertEquals(records, RecordCodec.decode(RecordCodec.encode(records.iterator())));
        }

        @Test
        void smallWriterGrows() {
            RecordWriter w = new RecordWriter(1);
            String big = "x".repeat(10_000);
            w.write(big);
            w.write(1);
            w.write(big + "é");
            assertEquals(List.of(big, 1, big + "é"), RecordCodec.decode(w.toByteArray()));
        }

        @Test
        void sizeAndReset() {
            RecordWriter w = new RecordWriter();
            assertEquals(0, w.size());
            w.write(true);                  // one tag byte
            assertEquals(1, w.size());
            w.write((byte) 9);              // tag + the byte
            assertEquals(3, w.size());
            w.reset();
            assertEquals(0, w.size());
            w.write("again");
            assertEquals(List.of("again"), RecordCodec.decode(w.toByteArray()));
        }

        @Test
        void emptyInputDecodesToNothing() {
            assertEquals(List.of(), RecordCodec.decode(new byte[0]));
            assertEquals(0, RecordCodec.encode(List.of()).length);
        }

        @Test
        void readerOverASliceOfABuffer() {
            RecordWriter w = new RecordWriter();
            w.write("before");
            int start = w.size();
            w.write(Pair.of("mid", 1));
            w.write(2L);
            int end = w.size();
            w.write("after");
            RecordReader r = new RecordReader(w.toByteArray(), start, end - start);
            List<Object> read = new ArrayList<>();
            r.forEachRemaining(read::add);
            assertEquals(List.of(Pair.of("mid", 1), 2L), read);
        }

        @Test
        void readerPastTheEndThrowsNoSuchElement() {
            RecordReader r = new RecordReader(RecordCodec.encode(List.of(1)));
            assertEquals(1, r.next());
            assertThrows(NoSuchElementException.class, r::next);
        }

        @Test
        void iterateOverSeveralBuffersIncludingEmptyOnes() {
            List<byte[]> buffers = List.of(
                    new byte[0],
                    RecordCodec.encode(List.of("a", "b")),
                    new byte[0],
                    new byte[0],
                    RecordCodec.encode(Arrays.asList(3, null)),
                    new byte[0]);
            Iterator<Object> it = RecordCodec.iterate(buffers);
            List<Object> all = new ArrayList<>();
            it.forEachRemaining(all::add);
            assertEquals(Arrays.asList("a", "b", 3, null), all);
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
        }

        @Test
        void iterateOverNoOrOnlyEmptyBuffers() {
            assertFalse(RecordCodec.iterate(List.of()).hasNext());
            Iterator<Object> it = RecordCodec.iterate(List.of(new byte[0], new byte[0]));
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
        }

        @Test
        void iterateCallsNextWithoutHasNext() {
            Iterator<Object> it = RecordCodec.iterate(List.of(new byte[0], RecordCodec.encode(List.of(1, 2))));
            assertEquals(1, it.next());
            assertEquals(2, it.next());
            assertThrows(NoSuchElementException.class, it::next);
        }
    }

    @Nested
    class CorruptInput {

        private CorruptRecordException corrupt(byte[] data) {
            return assertThrows(CorruptRecordException.class, () -> RecordCodec.decode(data));
        }

        @Test
        void truncatedVarint() {
            // INT tag (2), then zigzag(300) = 600 = 0xD8 0x04; drop the last byte
            byte[] whole = RecordCodec.encode(List.of(300));
            assertArrayEquals(bytes(2, 0xD8, 0x04), whole);
            CorruptRecordException e = corrupt(Arrays.copyOf(whole, 2));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            assertTrue(e.getMessage().contains("byte 2"), e.getMessage());
        }

        @Test
        void truncatedDouble() {
            byte[] whole = RecordCodec.encode(List.of(1.0));
            assertEquals(9, whole.length); // tag + 8 bytes
            CorruptRecordException e = corrupt(Arrays.copyOf(whole, 5));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            assertTrue(e.getMessage().contains("byte 1"), e.getMessage());
        }

        @Test
        void tagWithoutValue() {
            CorruptRecordException e = corrupt(bytes(1)); // STRING tag, no length
            assertTrue(e.getMessage().contains("byte 1"), e.getMessage());
        }

        @Test
        void truncatedInsideTheSecondRecord() {
            // "ab" takes tag + 1-byte length + 2 bytes = 4 bytes; a Pair tag follows with nothing after it
            byte[] first = RecordCodec.encode(List.of("ab"));
            assertEquals(4, first.length);
            byte[] data = Arrays.copyOf(first, 5);
            data[4] = 8; // PAIR tag
            CorruptRecordException e = corrupt(data);
            assertTrue(e.getMessage().contains("byte 5"), e.getMessage());
        }

        @Test
        void unknownTag() {
            // INT 1 (tag 2, zigzag 2), then tag 99
            CorruptRecordException e = corrupt(bytes(2, 2, 99));
            assertTrue(e.getMessage().contains("99"), e.getMessage());
            assertTrue(e.getMessage().contains("byte 2"), e.getMessage());

            CorruptRecordException first = corrupt(bytes(0xFF));
            assertTrue(first.getMessage().contains("byte 0"), first.getMessage());
            CorruptRecordException seventeen = corrupt(bytes(17));
            assertTrue(seventeen.getMessage().contains("17"), seventeen.getMessage());
        }

        @Test
        void lengthPastTheEnd() {
            // BYTES tag (12), length 100, only 3 bytes follow; the length ends at byte 2
            CorruptRecordException bytesRecord = corrupt(bytes(12, 100, 1, 2, 3));
            assertTrue(bytesRecord.getMessage().contains("100"), bytesRecord.getMessage());
            assertTrue(bytesRecord.getMessage().contains("byte 2"), bytesRecord.getMessage());

            // STRING tag (1), length 10, two bytes follow
            CorruptRecordException string = corrupt(bytes(1, 10, 'a', 'b'));
            assertTrue(string.getMessage().contains("byte 2"), string.getMessage());

            // LIST tag (9) claiming 1,000,000 elements (varint 0xC0 0x84 0x3D) in a 4-byte buffer
            CorruptRecordException list = corrupt(bytes(9, 0xC0, 0x84, 0x3D));
            assertTrue(list.getMessage().contains("1000000"), list.getMessage());
            assertTrue(list.getMessage().contains("byte 4"), list.getMessage());
        }

        @Test
        void varintTooLong() {
            byte[] data = new byte[12];
            data[0] = 3; // LONG tag
            Arrays.fill(data, 1, 12, (byte) 0x80);
            CorruptRecordException e = corrupt(data);
            assertTrue(e.getMessage().contains("byte"), e.getMessage());
        }

        @Test
        void undeserializablePayload() {
            // SERIALIZED tag (31), length 3, three bytes that are no Java serialization stream
            CorruptRecordException e = corrupt(bytes(31, 3, 1, 2, 3));
            assertTrue(e.getMessage().contains("deserialize"), e.getMessage());
            assertTrue(e.getMessage().contains("byte 2"), e.getMessage());

            // a valid serialization header (AC ED 00 05) followed by an invalid type code: the record
            // still starts at byte 2, where its payload begins
            CorruptRecordException badBody = corrupt(bytes(31, 5, 0xAC, 0xED, 0x00, 0x05, 0x99));
            assertTrue(badBody.getMessage().contains("deserialize"), badBody.getMessage());
            assertTrue(badBody.getMessage().contains("byte 2"), badBody.getMessage());
        }

        @Test
        void corruptBufferInIterate() {
            Iterator<Object> it = RecordCodec.iterate(List.of(RecordCodec.encode(List.of("ok")), bytes(42)));
            assertEquals("ok", it.next());
            CorruptRecordException e = assertThrows(CorruptRecordException.class, it::next);
            assertTrue(e.getMessage().contains("byte 0"), e.getMessage());
        }
    }

    @Nested
    class UnsupportedTypes {

        @Test
        void nonSerializableTypeIsNamed() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new RecordWriter().write(new Opaque()));
            assertTrue(e.getMessage().contains(Opaque.class.getName()), e.getMessage());

            IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
                    () -> new RecordWriter().write(new Object()));
            assertTrue(plain.getMessage().contains("java.lang.Object"), plain.getMessage());
        }

        @Test
        void nonSerializableInsideAContainer() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RecordCodec.encode(List.of(Pair.of("k", Collections.singletonList(new Opaque())))));
            assertTrue(e.getMessage().contains(Opaque.class.getName()), e.getMessage());
        }

        @Test
        void serializableWithNonSerializableField() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new RecordWriter().write(new HoldsOpaque()));
            assertTrue(e.getMessage().contains(HoldsOpaque.class.getName()), e.getMessage());
        }
    }
}
