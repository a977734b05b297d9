package dev.sluice.receiver.ingest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IngestBodyTest {

    private static IngestBody.Result parse(String body) {
        return IngestBody.parse(body.getBytes(StandardCharsets.UTF_8), 100);
    }

    private static List<String> lines(String body) {
        return ((IngestBody.Lines) parse(body)).lines();
    }

    @Test
    void splitsOnNewlinesAndDropsTheCarriageReturnOfCrlf() {
        assertEquals(List.of("a", "b", "c"), lines("a\nb\r\nc"));
        assertEquals(List.of("héllo ✓", "wörld"), lines("héllo ✓\r\nwörld\r\n"));
        assertEquals(List.of("a\rb"), lines("a\rb"), "a lone CR is text");
        assertEquals(List.of("a"), lines("a\r"), "a CR ending the body ends the line");
    }

    @Test
    void skipsOnlyOneTrailingEmptyLine() {
        assertEquals(List.of("a", "b"), lines("a\nb\n"));
        assertEquals(List.of("a", "b"), lines("a\nb"));
        assertEquals(List.of("a", ""), lines("a\n\n"));
        assertEquals(List.of("a", "", "b"), lines("a\n\nb"));
        assertEquals(List.of("", "a"), lines("\r\na\r\n"));
        assertEquals(List.of(""), lines("\n"));
        assertEquals(List.of(), lines(""));
    }

    @Test
    void namesTheByteOffsetOfInvalidUtf8() {
        byte[] body = {'o', 'k', '\n', 'a', (byte) 0xC3, '(', '\n'};
        assertEquals(new IngestBody.InvalidUtf8(4), IngestBody.parse(body, 100));
        byte[] truncated = {'a', 'b', 'c', (byte) 0xE2, (byte) 0x9C};
        assertEquals(new IngestBody.InvalidUtf8(3), IngestBody.parse(truncated, 100));
        // An encoded surrogate is not UTF-8.
        byte[] surrogate = {'x', '\n', (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        assertEquals(new IngestBody.InvalidUtf8(2), IngestBody.parse(surrogate, 100));
    }

    @Test
    void refusesALineLongerThanTheLimitInChars() {
        byte[] body = ("short\n" + "é".repeat(10) + "\n" + "x".repeat(11) + "\nlast").getBytes(StandardCharsets.UTF_8);
        // "é" is two bytes but one char: ten of them fit a limit of 10.
        assertEquals(new IngestBody.LineTooLong(3, 11, 10), IngestBody.parse(body, 10));
        assertEquals(List.of("x".repeat(10)),
                ((IngestBody.Lines) IngestBody.parse(("x".repeat(10) + "\r\n").getBytes(StandardCharsets.UTF_8), 10))
                        .lines(), "the CR does not count");
    }
}
