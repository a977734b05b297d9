package dev.sluice.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The benchmark's text: lines of exactly {@link #WORDS_PER_LINE} words drawn from a
 * vocabulary of {@code vocabulary} lower-case pseudo-words with Zipf-distributed
 * frequencies (exponent 1), each line ending in {@code '\n'}. The same seed gives the same
 * bytes on every machine, so every system in a comparison reads the same input.
 *
 * <p>The lines are generated once into one byte array and replayed in a loop: {@link #bytes()}
 * holds {@link #lines()} lines back to back and {@link #lineEnd(int)} says where each ends,
 * so a sender can write any run of lines with one copy.
 */
public final class Corpus {

    /** Every line has exactly this many words, so lines sent tell words sent. */
    public static final int WORDS_PER_LINE = 10;

    private final byte[] bytes;
    private final int[] lineEnds;

    private Corpus(byte[] bytes, int[] lineEnds) {
        this.bytes = bytes;
        this.lineEnds = lineEnds;
    }

    /** The corpus of the published runs: 10,000 words, 200,000 lines (about 13 MB), seed 42. */
    public static Corpus standard() {
        return generate(10_000, 200_000, 42);
    }

    /**
     * Generates {@code lines} lines over a Zipf vocabulary of {@code vocabulary} words.
     *
     * @throws IllegalArgumentException when either count is not positive
     */
    public static Corpus generate(int vocabulary, int lines, long seed) {
        if (vocabulary < 1 || lines < 1) {
            throw new IllegalArgumentException("vocabulary and lines must be positive, got " + vocabulary + " and " + lines);
        }
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] words = vocabulary(vocabulary, random);
        double[] cumulative = zipfCumulative(vocabulary);
        int[] ends = new int[lines];
        byte[] out = new byte[lines * WORDS_PER_LINE * 8];
        int pos = 0;
        for (int line = 0; line < lines; line++) {
            for (int w = 0; w < WORDS_PER_LINE; w++) {
                byte[] word = words[rank(cumulative, random.nextDouble())];
                if (pos + word.length + 1 > out.length) {
                    out = java.util.Arrays.copyOf(out, out.length * 2);
                }
                System.arraycopy(word, 0, out, pos, word.length);
                pos += word.length;
                out[pos++] = (byte) (w == WORDS_PER_LINE - 1 ? '\n' : ' ');
            }
            ends[line] = pos;
        }
        return new Corpus(java.util.Arrays.copyOf(out, pos), ends);
    }

    /** The lines, back to back, each ending in {@code '\n'}. Do not modify. */
    public byte[] bytes() {
        return bytes;
    }

    /** The number of lines. */
    public int lines() {
        return lineEnds.length;
    }

    /** The offset just past line {@code i}'s {@code '\n'}. */
    public int lineEnd(int i) {
        return lineEnds[i];
    }

    /** The offset where line {@code i} starts. */
    public int lineStart(int i) {
        return i == 0 ? 0 : lineEnds[i - 1];
    }

    /** Distinct words of 2 to 9 letters; shorter ones for the frequent ranks, as in natural text. */
    private static byte[][] vocabulary(int size, SplittableRandom random) {
        Set<String> seen = new HashSet<>();
        byte[][] words = new byte[size][];
        for (int i = 0; i < size; i++) {
            int length = 2 + Math.min(7, (int) Math.log10(i + 1) * 2 + random.nextInt(3));
            String word;
            do {
                StringBuilder sb = new StringBuilder(length);
                for (int c = 0; c < length; c++) {
                    sb.append((char) ('a' + random.nextInt(26)));
                }
                word = sb.toString();
            } while (!seen.add(word));
            words[i] = word.getBytes(StandardCharsets.US_ASCII);
        }
        return words;
    }

    private static double[] zipfCumulative(int size) {
        double[] cumulative = new double[size];
        double sum = 0;
        for (int rank = 1; rank <= size; rank++) {
            sum += 1.0 / rank;
            cumulative[rank - 1] = sum;
        }
        for (int i = 0; i < size; i++) {
            cumulative[i] /= sum;
        }
        return cumulative;
    }

    private static int rank(double[] cumulative, double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
