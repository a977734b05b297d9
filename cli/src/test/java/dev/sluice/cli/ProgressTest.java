package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void onATerminalTheLineIsRedrawnInPlace() {
        Progress p = new Progress(err, true, clock::get);
        p.show("waiting: 100 cut");
        clock.addAndGet(1500);
        p.show("waiting: 1 cut");
        p.done();
        assertEquals("\rsluice: waiting: 100 cut, 0 ms\rsluice: waiting: 1 cut, 1.5 s \n",
                bytes.toString(StandardCharsets.UTF_8), "a shorter line blanks what is left of the longer one");
    }

    @Test
    void elsewhereALineIsPrintedWhenItChangesOrEveryFiveSeconds() {
        Progress p = new Progress(err, false, clock::get);
        for (int i = 0; i < 24; i++) {
            p.show(i < 12 ? "waiting: 0 cut" : "waiting: 1 cut");
            clock.addAndGet(500);
        }
        p.done();
        assertEquals("sluice: waiting: 0 cut, 0 ms\n"
                + "sluice: waiting: 0 cut, 5 s\n"
                + "sluice: waiting: 1 cut, 6 s\n"
                + "sluice: waiting: 1 cut, 11 s\n", bytes.toString(StandardCharsets.UTF_8));
        assertEquals(12_000, p.elapsedMs());
    }
}
