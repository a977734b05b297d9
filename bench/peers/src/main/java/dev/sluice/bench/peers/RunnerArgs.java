package dev.sluice.bench.peers;

import java.nio.file.Path;

/**
 * The runners' shared command line, the same for Spark and Flink so a harness starts either the
 * same way: {@code --source HOST:PORT --batch 1000ms --duration 75s --out FILE}.
 *
 * @param host       where the load generator listens (the runners connect to it as clients)
 * @param port       its port
 * @param batchMs    Spark's batch interval, Flink's tumbling window size
 * @param durationMs how long the runner runs, counted from its start, before it stops itself
 * @param out        the JSON-lines file each batch or window is appended to
 */
record RunnerArgs(String host, int port, long batchMs, long durationMs, Path out) {

    static RunnerArgs parse(String[] args) {
        String source = null;
        long batchMs = 1000;
        long durationMs = 75_000;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--source" -> source = value;
                case "--batch" -> batchMs = millis(value, flag);
                case "--duration" -> durationMs = millis(value, flag);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (source == null || out == null) {
            throw new IllegalArgumentException("usage: --source HOST:PORT [--batch 1000ms] [--duration 75s] --out FILE");
        }
        int colon = source.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--source must be HOST:PORT, got '" + source + "'");
        }
        if (batchMs <= 0) {
            throw new IllegalArgumentException("--batch must be positive");
        }
        return new RunnerArgs(source.substring(0, colon), Integer.parseInt(source.substring(colon + 1)), batchMs, durationMs, out);
    }

    /** Parses {@code 250ms}, {@code 10s} or {@code 2m}, as the load generator does. */
    static long millis(String text, String what) {
        try {
            if (text.endsWith("ms")) {
                return Long.parseLong(text.substring(0, text.length() - 2));
            }
            if (text.endsWith("s")) {
                return Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000);
            }
            if (text.endsWith("m")) {
                return Long.parseLong(text.substring(0, text.length() - 1)) * 60_000;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException(what + " must be a duration like 250ms, 10s or 2m, got '" + text + "'");
    }
}
