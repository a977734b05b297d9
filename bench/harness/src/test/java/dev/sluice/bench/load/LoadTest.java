package dev.sluice.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadTest {

    @Test
    void theCorpusIsTheSameEveryTimeWithTenWordsALineAndAZipfHead() {
        Corpus a = Corpus.generate(1000, 5000, 7);
        Corpus b = Corpus.generate(1000, 5000, 7);
        assertArrayEquals(a.bytes(), b.bytes());
        String text = new String(a.bytes(), StandardCharsets.US_ASCII);
        String[] lines = text.split("\n");
        assertEquals(5000, lines.length);
        Map<String, Integer> counts = new HashMap<>();
        for (String line : lines) {
            String[] words = line.split(" ");
            assertEquals(Corpus.WORDS_PER_LINE, words.length, line);
            for (String w : words) {
                counts.merge(w, 1, Integer::sum);
            }
        }
        int top = counts.values().stream().max(Integer::compare).orElseThrow();
        // Zipf with exponent 1 over 1000 words: the top word is about 1/H(1000) = 13% of all words.
        assertTrue(top > 0.10 * 50_000 && top < 0.16 * 50_000, "top word count " + top);
        assertEquals(a.bytes().length, a.lineEnd(a.lines() - 1));
    }

    @Test
    void theScheduleRampsThenHoldsItsRate() {
        RateSchedule s = new RateSchedule(1000, 10_000);
        assertEquals(0, s.linesDueBy(0));
        assertEquals(5000, s.linesDueBy(10_000));
        assertEquals(6000, s.linesDueBy(11_000));
        assertEquals(1250, s.linesDueBy(5_000));
        assertEquals(Long.MAX_VALUE, new RateSchedule(0, 0).linesDueBy(1));
    }

    @Test
    void theLogTellsWhenEachLineLeft() {
        SendLog log = new SendLog();
        log.sent(100, 10);
        log.sent(105, 25);
        assertEquals(100, log.sentAt(0));
        assertEquals(100, log.sentAt(9));
        assertEquals(105, log.sentAt(10));
        assertEquals(-1, log.sentAt(25));
        assertEquals(0, log.sentBy(99));
        assertEquals(10, log.sentBy(104));
        assertEquals(25, log.sentBy(200));
    }

    @Test
    void theSocketServerSendsWholeLinesAtTheRate() throws Exception {
        Corpus corpus = Corpus.generate(100, 1000, 1);
        SendLog log = new SendLog();
        try (SocketLoad load = new SocketLoad(0, corpus, new RateSchedule(20_000, 0), log)) {
            load.start(500);
            int lines = 0;
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), load.port());
                 BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = in.readLine()) != null) {
                    assertEquals(Corpus.WORDS_PER_LINE, line.split(" ").length);
                    lines++;
                }
            }
            load.join();
            assertEquals(load.sent(), lines);
            assertEquals(lines, log.total());
            // 20,000 lines/s for 0.5 s, wrapping the 1000-line corpus ten times.
            assertTrue(lines > 8000 && lines <= 10_100, "lines " + lines);
        }
    }
}
