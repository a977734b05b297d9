package dev.sluice.cli;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * A progress line for a long wait, on standard error. On a terminal it is redrawn in
 * place; otherwise (a pipe, a log file) a line is printed when what it says changes, and
 * at least every {@link #QUIET_MS} while it does not, so that logs stay short.
 */
final class Progress {

    static final long QUIET_MS = 5000;

    private final PrintStream err;
    private final boolean interactive;
    private final LongSupplier clock;
    private final long started;
    private String lastState;
    private long lastPrinted;
    private int lastWidth;

    Progress(PrintStream err, boolean interactive, LongSupplier clock) {
        this.err = err;
        this.interactive = interactive;
        this.clock = clock;
        this.started = clock.getAsLong();
    }

    /** Milliseconds since this progress started. */
    long elapsedMs() {
        return clock.getAsLong() - started;
    }

    /** Shows {@code state} (what is being waited for and how far it got), followed by the time elapsed. */
    void show(String state) {
        long now = clock.getAsLong();
        String line = "sluice: " + state + ", " + Fmt.duration(now - started);
        if (interactive) {
            err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            err.flush();
            lastWidth = line.length();
        } else if (!state.equals(lastState) || now - lastPrinted >= QUIET_MS) {
            err.println(line);
            lastPrinted = now;
        }
        lastState = state;
    }

    /** Ends the progress line, so that what follows starts on a line of its own. */
    void done() {
        if (interactive && lastWidth > 0) {
            err.println();
            lastWidth = 0;
        }
    }
}
