package dev.sluice.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Text records for fuzzing a word count, deterministic for a given {@link Random}: valid lines
 * whose words are {@code q0} to {@code q39} (with case and punctuation the word count strips), and
 * junk lines that never hold a {@code q}: invalid UTF-8, NULs and control characters, carriage
 * returns alone as line ends, unicode junk and lines over the length limit. So the counts of the
 * {@code q} words are exactly those of the valid lines, whatever the junk does.
 */
final class JunkLines {

    private static final int WORDS = 40;
    private final Random random;
    private final int maxLineChars;

    /** Junk drawn from {@code random}; over-long lines are longer than {@code maxLineChars}. */
    JunkLines(Random random, int maxLineChars) {
        this.random = random;
        this.maxLineChars = maxLineChars;
    }

    /** A valid line of 1 to 8 {@code q} words, whose counts are added to {@code expected}, ended by \n or \r\n. */
    byte[] valid(Map<String, Long> expected) {
        StringBuilder sb = new StringBuilder();
        int words = 1 + random.nextInt(8);
        for (int i = 0; i < words; i++) {
            String word = "q" + random.nextInt(WORDS);
            expected.merge(word, 1L, Long::sum);
            String written = random.nextInt(4) == 0 ? word.toUpperCase() : word;
            sb.append(pick(List.of(" ", "\t", "  ", " \u000b"))).append(pick(List.of("", "(", "\"", "¡")))
                    .append(written).append(pick(List.of("", ",", ".", "!?", ")")));
        }
        sb.append(random.nextBoolean() ? "\r\n" : "\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A junk line, ended by \n; {@code invalid} says whether it is invalid UTF-8 or too long
     * (a socket source drops it, an HTTP ingest refuses its whole body).
     */
    record Junk(byte[] bytes, boolean invalid) {
    }

    /** The next junk line. */
    Junk junk() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean invalid = false;
        switch (random.nextInt(6)) {
            case 0 -> {
                // Random bytes with an invalid UTF-8 sequence in them.
                out.writeBytes(noQ(randomBytes(random.nextInt(60))));
                out.writeBytes(pick(List.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc0, (byte) 0x80},
                        new byte[] {(byte) 0x80}, new byte[] {(byte) 0xe2, (byte) 0x82}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                        new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80})));
                out.writeBytes(noQ(randomBytes(random.nextInt(60))));
                invalid = true;
            }
            case 1 -> out.writeBytes(("\u0000\u0000nul" + "\u0000".repeat(random.nextInt(5)) + " ctl\u0001\u001b[0m\u007f")
                    .getBytes(StandardCharsets.UTF_8));
            case 2 -> out.writeBytes(("cr\ronly\rline\rends\r" + "x\r".repeat(random.nextInt(10))).getBytes(StandardCharsets.UTF_8));
            case 3 -> out.writeBytes(unicode(1 + random.nextInt(40)).getBytes(StandardCharsets.UTF_8));
            case 4 -> {
                out.writeBytes("z".repeat(maxLineChars + 1 + random.nextInt(random.nextInt(8) == 0 ? 100 * maxLineChars : 50))
                        .getBytes(StandardCharsets.UTF_8));
                invalid = true;
            }
            default -> {
                // Random bytes: mostly invalid UTF-8, sometimes not.
                byte[] b = noQ(randomBytes(1 + random.nextInt(200)));
                out.writeBytes(b);
                invalid = !validUtf8(b);
            }
        }
        out.write('\n');
        return new Junk(out.toByteArray(), invalid);
    }

    /** Valid UTF-8 text without a q or a line break: symbols, emoji, right-to-left marks, BOMs, other scripts. */
    private String unicode(int length) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < length) {
            int c = switch (random.nextInt(5)) {
                case 0 -> 0x1F300 + random.nextInt(0x300);
                case 1 -> pick(List.of(0x202E, 0xFEFF, 0x2028, 0x2029, 0x0085, 0x200B, 0xFFFD, 0x10FFFF));
                case 2 -> 0x0400 + random.nextInt(0x2000);
                case 3 -> 0x4E00 + random.nextInt(0x1000);
                default -> ' ' + random.nextInt(95);
            };
            if (c != 'q' && c != 'Q') {
                sb.appendCodePoint(c);
            }
        }
        return sb.toString();
    }

    private static boolean validUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The bytes without a q, Q or line feed, which would make junk into words or lines of its own. */
    private static byte[] noQ(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 'q' || b[i] == 'Q' || b[i] == '\n') {
                b[i] = '_';
            }
        }
        return b;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }
}
