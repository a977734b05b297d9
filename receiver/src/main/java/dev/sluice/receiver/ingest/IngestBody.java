package dev.sluice.receiver.ingest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an HTTP ingest body into records: UTF-8 text, one record per line, lines ended by
 * {@code \n} or {@code \r\n} (the {@code \r} is dropped). The last line needs no terminator;
 * a body that ends with one has no empty record after it, but every other empty line is a
 * record (as on a socket source): {@code "a\n"} is {@code [a]}, {@code "a\n\n"} is
 * {@code [a, ""]}, and the empty body holds no record.
 *
 * <p>The body is taken whole or not at all: invalid UTF-8 or a line longer than the limit
 * fails it, naming the byte offset or the line.
 */
public final class IngestBody {

    /** What parsing a body gave: its records, or why there are none. */
    public sealed interface Result {
    }

    /** The body's records, in order. */
    public record Lines(List<String> lines) implements Result {
    }

    /** The body is not valid UTF-8: the first bad byte is at {@code offset}. */
    public record InvalidUtf8(long offset) implements Result {
    }

    /** Line {@code line} (1-based) has {@code chars} chars, more than {@code limit}. */
    public record LineTooLong(long line, long chars, int limit) implements Result {
    }

    private IngestBody() {
    }

    /** Parses {@code body}, allowing lines of at most {@code maxLineChars} chars. */
    public static Result parse(byte[] body, int maxLineChars) {
        List<String> lines = new ArrayList<>();
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int start = 0;
        int n = body.length;
        while (start < n) {
            int nl = indexOf(body, (byte) '\n', start);
            int end = nl < 0 ? n : nl;
            // '\n' and '\r' never occur inside a multi-byte UTF-8 sequence, so splitting bytes is safe.
            int contentEnd = end > start && body[end - 1] == '\r' ? end - 1 : end;
            Object line = decode(decoder, body, start, contentEnd, lines.size() + 1, maxLineChars);
            if (line instanceof Result failure) {
                return failure;
            }
            lines.add((String) line);
            if (nl < 0) {
                break;
            }
            start = nl + 1;
        }
        return new Lines(lines);
    }

    /** The line's text, or the {@link Result} that fails the body. */
    private static Object decode(CharsetDecoder decoder, byte[] body, int from, int to, long lineNo, int maxChars) {
        ByteBuffer in = ByteBuffer.wrap(body, from, to - from);
        CharBuffer out = CharBuffer.allocate(to - from);
        decoder.reset();
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            // wrap() keeps positions absolute: this is the offset in the whole body.
            return new InvalidUtf8(in.position());
        }
        if (out.position() > maxChars) {
            return new LineTooLong(lineNo, out.position(), maxChars);
        }
        return out.flip().toString();
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
