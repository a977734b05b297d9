package dev.sluice.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The load generator's command line.
 *
 * <pre>
 * java -cp sluice-bench.jar dev.sluice.bench.load.LoadGenerator --mode socket --port 9999 --rate 1000000
 *
 *   --mode socket|http   serve a TCP client (socket sources connect to it) or POST to --url
 *   --port N             socket: the port to listen on, 0 for a free one (default 9999)
 *   --url URL            http: where to POST, e.g. http://localhost:8082/api/ingest/bench
 *   --token T            http: sent as a bearer token
 *   --rate WORDS         words per second, 0 for as fast as the client reads (default 1000000)
 *   --ramp D             time to ramp up to the rate (default 10s)
 *   --duration D         how long to send, counted from the first connection (default 70s)
 *   --log FILE           write the send log there (CSV: wall ms, lines sent so far)
 * </pre>
 *
 * <p>Lines are {@link Corpus#standard()}: 10 words each over a 10,000-word Zipf vocabulary.
 * In socket mode the first line on stdout is {@code listening on <port>}. At the end it
 * prints {@code sent <lines> lines, <words> words in <s> s (<rate> words/s)}.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("load: " + e.getMessage());
            System.exit(2);
            return;
        }
        Corpus corpus = Corpus.standard();
        SendLog log = new SendLog();
        RateSchedule schedule = RateSchedule.ofWords(options.wordsPerSecond, options.ramp.toMillis());
        long lines;
        if (options.mode.equals("socket")) {
            try (SocketLoad load = new SocketLoad(options.port, corpus, schedule, log)) {
                System.out.println("listening on " + load.port());
                System.out.flush();
                load.start(options.duration.toMillis());
                load.join();
                lines = load.sent();
            }
        } else {
            try (HttpLoad load = new HttpLoad(URI.create(options.url), options.token, corpus, schedule, log)) {
                load.start(options.duration.toMillis());
                load.join();
                lines = load.sent();
            }
        }
        double seconds = Math.max(1, log.lastSendMs() - log.firstSendMs()) / 1000.0;
        long words = lines * Corpus.WORDS_PER_LINE;
        System.out.printf("sent %d lines, %d words in %.1f s (%.0f words/s)%n", lines, words, seconds, words / seconds);
        if (options.log != null) {
            log.writeTo(options.log);
        }
    }

    private record Options(String mode, int port, String url, String token, double wordsPerSecond,
                           Duration ramp, Duration duration, Path log) {

        static Options parse(String[] args) {
            String mode = "socket";
            int port = 9999;
            String url = null;
            String token = null;
            double rate = 1_000_000;
            Duration ramp = Duration.ofSeconds(10);
            Duration duration = Duration.ofSeconds(70);
            Path log = null;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                String value = args[++i];
                switch (flag) {
                    case "--mode" -> mode = value;
                    case "--port" -> port = Integer.parseInt(value);
                    case "--url" -> url = value;
                    case "--token" -> token = value;
                    case "--rate" -> rate = Double.parseDouble(value);
                    case "--ramp" -> ramp = Durations.parse(value, flag);
                    case "--duration" -> duration = Durations.parse(value, flag);
                    case "--log" -> log = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
            if (!mode.equals("socket") && !mode.equals("http")) {
                throw new IllegalArgumentException("--mode must be socket or http, got " + mode);
            }
            if (mode.equals("http") && url == null) {
                throw new IllegalArgumentException("--mode http needs --url");
            }
            return new Options(mode, port, url, token, rate, ramp, duration, log);
        }
    }
}
