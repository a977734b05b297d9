package dev.sluice.e2e;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Malformed protobuf messages, deterministic for a given {@link Random}: random bytes, the bytes
 * of a valid message damaged (bits flipped, cut short, bytes inserted, a length prefix made huge),
 * or a valid message with fields set to extreme values through reflection (negative and extreme
 * numbers, unknown enum values, empty, huge and control-character strings, long repeated fields).
 */
final class ProtoMutator {

    private static final List<Integer> INTS = List.of(0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE, 999_999);
    private static final List<Long> LONGS = List.of(0L, -1L, 1L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 53);
    private static final List<Double> DOUBLES = List.of(Double.NaN, -1.0, Double.POSITIVE_INFINITY, -0.0, 1e300);

    private final Random random;

    ProtoMutator(Random random) {
        this.random = random;
    }

    /**
     * The bytes of a malformed {@code template}. With fields named in {@code keep} (full names, e.g.
     * {@code sluice.v1.BlockReport.job}) only the other fields change: no random or damaged bytes.
     */
    byte[] next(Message template, Set<String> keep) {
        return switch (keep.isEmpty() ? random.nextInt(5) : 2) {
            case 0 -> bytes(random.nextInt(300));
            case 1 -> damage(template.toByteArray());
            default -> {
                Message.Builder b = template.toBuilder();
                int changes = 1 + random.nextInt(3);
                for (int i = 0; i < changes; i++) {
                    mutate(b, keep, 0);
                }
                yield b.build().toByteArray();
            }
        };
    }

    private void mutate(Message.Builder b, Set<String> keep, int depth) {
        List<FieldDescriptor> fields = b.getDescriptorForType().getFields().stream()
                .filter(f -> !keep.contains(f.getFullName())).toList();
        if (fields.isEmpty()) {
            return;
        }
        FieldDescriptor f = fields.get(random.nextInt(fields.size()));
        if (f.isRepeated()) {
            if (random.nextInt(4) == 0) {
                b.clearField(f);
                return;
            }
            int n = random.nextInt(8) == 0 ? 10_000 : 1 + random.nextInt(4);
            for (int i = 0; i < n && f.getJavaType() != FieldDescriptor.JavaType.MESSAGE; i++) {
                b.addRepeatedField(f, value(f));
            }
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                for (int i = 0; i < Math.min(n, 50); i++) {
                    Message.Builder child = b.newBuilderForField(f);
                    mutate(child, keep, depth + 1);
                    b.addRepeatedField(f, child.build());
                }
            }
            return;
        }
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            if (random.nextInt(4) == 0 || depth > 3) {
                b.clearField(f);
            } else {
                Message.Builder child = ((Message) b.getField(f)).toBuilder();
                mutate(child, keep, depth + 1);
                b.setField(f, child.build());
            }
            return;
        }
        b.setField(f, value(f));
    }

    /** An extreme or odd value for a scalar field. */
    private Object value(FieldDescriptor f) {
        return switch (f.getJavaType()) {
            case INT -> random.nextBoolean() ? pick(INTS) : random.nextInt();
            case LONG -> random.nextInt(3) == 0 ? System.currentTimeMillis() + (random.nextLong() % 1_000_000_000L)
                    : random.nextBoolean() ? pick(LONGS) : random.nextLong();
            case DOUBLE -> pick(DOUBLES);
            case FLOAT -> (float) (double) pick(DOUBLES);
            case BOOLEAN -> random.nextBoolean();
            case STRING -> string();
            case BYTE_STRING -> ByteString.copyFrom(bytes(random.nextInt(4) == 0 ? 100_000 : random.nextInt(64)));
            case ENUM -> f.getEnumType().findValueByNumberCreatingIfUnknown(random.nextInt(8) - 2);
            case MESSAGE -> throw new IllegalArgumentException(f.getFullName());
        };
    }

    private String string() {
        return switch (random.nextInt(8)) {
            case 0 -> "";
            case 1 -> "x".repeat(100_000);
            case 2 -> "host:" + pick(List.of("0", "-1", "65536", "99999999999", "", "http", "9090/x"));
            case 3 -> pick(List.of(":", "::", "[::1]:9090", "a:b:c", " localhost:9090", "localhost:9090\n"));
            case 4 -> "fuzz\u0000\u0007\u001b[2J\r\n";
            case 5 -> "\u202Eevil\uFEFF\uD83D\uDE00" + random.nextInt(1000);
            case 6 -> "../../../../etc/passwd";
            default -> "fuzz-" + Long.toHexString(random.nextLong());
        };
    }

    /** The bytes with one kind of damage. */
    private byte[] damage(byte[] valid) {
        if (valid.length == 0) {
            return bytes(1 + random.nextInt(20));
        }
        byte[] b = valid.clone();
        int at = random.nextInt(b.length);
        switch (random.nextInt(4)) {
            case 0 -> {
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return b;
            }
            case 1 -> {
                return Arrays.copyOf(b, at);
            }
            case 2 -> {
                byte[] junk = bytes(1 + random.nextInt(16));
                byte[] out = new byte[b.length + junk.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(junk, 0, out, at, junk.length);
                System.arraycopy(b, at, out, at + junk.length, b.length - at);
                return out;
            }
            default -> {
                // A length-delimited field 1 claiming ~2 GiB, then a few bytes.
                byte[] out = Arrays.copyOf(new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}, 6 + at);
                System.arraycopy(b, 0, out, 6, at);
                return out;
            }
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }
}
