package dev.sluice.examples.feed;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A tiny text-line server to feed a socket source, in the role {@code nc -lk 9999} plays in
 * Spark Streaming's examples, but replaying a text file at a steady rate.
 *
 * <p>It listens on a TCP port and writes the lines of a text file (or of a classpath
 * resource) to every client that connects, each client at the target rate and from the
 * first line. When it stops it reports on stderr how many lines it sent.
 *
 * <pre>
 * java -cp sluice-examples.jar dev.sluice.examples.feed.LineServer --port 9999 --rate 500 --loop
 *
 *   --port N            port to listen on; 0 picks a free one (default 9999)
 *   --file PATH         send the lines of this file
 *   --resource NAME     send the lines of this classpath resource (default corpus/sluice-corpus.txt)
 *   --rate LINES        lines per second to each client (default 200; 0 = unlimited)
 *   --loop              repeat the corpus forever instead of closing the connection at its end
 *   --once              serve the first client only, then exit
 * </pre>
 *
 * <p>The first line on stdout is always {@code listening on <port>}, so a script can start
 * it with {@code --port 0} and read the port it got. Needs nothing beyond the JDK.
 */
public final class LineServer {

    /** The corpus bundled in the examples jar. */
    public static final String DEFAULT_RESOURCE = "corpus/sluice-corpus.txt";

    static final int DEFAULT_PORT = 9999;
    static final double DEFAULT_RATE = 200;

    private static final int EXIT_USAGE = 2;
    private static final int EXIT_FAILURE = 1;

    /** The parsed command line. {@code file} is null when the lines come from {@code resource}. */
    record Options(int port, Path file, String resource, double rate, boolean loop, boolean once) {

        /** Where the lines come from, for messages. */
        String source() {
            return file != null ? file.toString() : "resource " + resource;
        }
    }

    /** A bad command line; the message says what is wrong. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private final Options options;
    private final List<String> lines;
    private final AtomicLong linesSent = new AtomicLong();
    private final AtomicInteger clients = new AtomicInteger();

    LineServer(Options options, List<String> lines) {
        this.options = options;
        this.lines = List.copyOf(lines);
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = parse(args);
        } catch (UsageException e) {
            System.err.println("LineServer: " + e.getMessage());
            System.err.println("Run with --help for usage.");
            System.exit(EXIT_USAGE);
            return;
        }
        if (options == null) { // --help
            System.out.print(usage());
            return;
        }
        try {
            List<String> lines = load(options);
            new LineServer(options, lines).serve();
        } catch (IOException | IllegalStateException e) {
            System.err.println("LineServer: " + e.getMessage());
            System.exit(EXIT_FAILURE);
        }
    }

    /** The usage text. */
    static String usage() {
        return String.join(System.lineSeparator(),
                "Usage: LineServer [--port N] [--file PATH | --resource NAME] [--rate LINES_PER_SEC] [--loop | --once]",
                "",
                "Serves the lines of a text file to every client that connects to a TCP port.",
                "",
                "  --port N             port to listen on; 0 picks a free one (default " + DEFAULT_PORT + ")",
                "  --file PATH          send the lines of this file",
                "  --resource NAME      send the lines of this classpath resource (default " + DEFAULT_RESOURCE + ")",
                "  --rate LINES         lines per second to each client (default 200; 0 = unlimited)",
                "  --loop               repeat the corpus forever",
                "  --once               serve the first client once, then exit",
                "  --help               print this text",
                "",
                "The first line on stdout is 'listening on <port>'. The number of lines sent is",
                "reported on stderr when the server stops.",
                "");
    }

    /**
     * Parses the command line.
     *
     * @return the options, or {@code null} when {@code --help} was asked for
     * @throws UsageException naming the bad flag or value
     */
    static Options parse(String[] args) throws UsageException {
        int port = DEFAULT_PORT;
        Path file = null;
        String resource = null;
        double rate = DEFAULT_RATE;
        boolean loop = false;
        boolean once = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--port" -> port = parsePort(value(args, ++i, flag));
                case "--file" -> file = Path.of(value(args, ++i, flag));
                case "--resource" -> resource = value(args, ++i, flag);
                case "--rate" -> rate = parseRate(value(args, ++i, flag));
                case "--loop" -> loop = true;
                case "--once" -> once = true;
                default -> throw new UsageException(flag.startsWith("-")
                        ? "unknown flag '" + flag + "'"
                        : "unexpected argument '" + flag + "' (flags start with --)");
            }
        }
        if (file != null && resource != null) {
            throw new UsageException("give either --file or --resource, not both");
        }
        if (loop && once) {
            throw new UsageException("--loop and --once cannot be combined");
        }
        if (file == null && resource == null) {
            resource = DEFAULT_RESOURCE;
        }
        return new Options(port, file, resource, rate, loop, once);
    }

    private static String value(String[] args, int i, String flag) throws UsageException {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(flag + " needs a value");
        }
        return args[i];
    }

    private static int parsePort(String text) throws UsageException {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--port must be a number from 0 to 65535, not '" + text + "'");
    }

    private static double parseRate(String text) throws UsageException {
        try {
            double rate = Double.parseDouble(text);
            if (rate >= 0 && Double.isFinite(rate)) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--rate must be a number of lines per second, 0 or more (0 = unlimited), not '"
                + text + "'");
    }

    /** Reads the lines to serve; fails if the source is missing or has no lines. */
    static List<String> load(Options options) throws IOException {
        List<String> lines;
        if (options.file() != null) {
            if (!Files.isRegularFile(options.file())) {
                throw new IOException("no such file: " + options.file());
            }
            lines = Files.readAllLines(options.file(), StandardCharsets.UTF_8);
        } else {
            String name = options.resource().startsWith("/") ? options.resource().substring(1) : options.resource();
            InputStream in = LineServer.class.getClassLoader().getResourceAsStream(name);
            if (in == null) {
                throw new IOException("no such resource on the classpath: " + name);
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                lines = new ArrayList<>(reader.lines().toList());
            }
        }
        if (lines.isEmpty()) {
            throw new IOException(options.source() + " has no lines to send");
        }
        return lines;
    }

    /** Listens and serves clients until killed, or until the first client is done with {@code --once}. */
    void serve() throws IOException {
        try (ServerSocket server = new ServerSocket(options.port())) {
            System.out.println("listening on " + server.getLocalPort());
            System.out.flush();
            System.err.printf("LineServer: serving %d lines of %s at %s%s%n", lines.size(), options.source(),
                    options.rate() > 0 ? formatRate(options.rate()) + " lines/s" : "full speed",
                    options.loop() ? ", looping" : options.once() ? ", to one client" : "");
            Thread report = new Thread(this::report, "line-server-report");
            Runtime.getRuntime().addShutdownHook(report);
            if (options.once()) {
                try (Socket client = server.accept()) {
                    handle(client);
                }
                return; // the shutdown hook reports
            }
            ExecutorService pool = Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "line-server-client");
                thread.setDaemon(true);
                return thread;
            });
            while (true) {
                Socket client = server.accept();
                pool.execute(() -> {
                    try (client) {
                        handle(client);
                    } catch (IOException e) {
                        // closing a dropped connection: nothing to do
                    }
                });
            }
        }
    }

    /** Sends the corpus (once, or forever with {@code --loop}) to one client at the target rate. */
    private void handle(Socket client) {
        int id = clients.incrementAndGet();
        String who = "client " + id + " (" + client.getRemoteSocketAddress() + ")";
        System.err.println("LineServer: " + who + " connected");
        long sent = 0;
        try {
            Writer out = new BufferedWriter(new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8));
            Pacer pacer = new Pacer(options.rate());
            do {
                for (String line : lines) {
                    long wait = pacer.reserve();
                    if (wait > 0) {
                        out.flush(); // hand over what is buffered before pausing
                        Pacer.sleep(wait);
                    }
                    out.write(line);
                    out.write('\n');
                    sent++;
                    linesSent.incrementAndGet();
                }
            } while (options.loop());
            out.flush();
            System.err.println("LineServer: " + who + " got all " + sent + " lines");
        } catch (IOException e) {
            System.err.println("LineServer: " + who + " disconnected after " + sent + " lines");
        }
    }

    private void report() {
        PrintStream err = System.err;
        err.printf("LineServer: stopped after sending %d lines to %d client%s%n",
                linesSent.get(), clients.get(), clients.get() == 1 ? "" : "s");
        err.flush();
    }

    private static String formatRate(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }

    /**
     * Spaces lines evenly at a rate: line k is due at start + k / rate. A client that falls
     * more than a second behind (a slow reader) is not sent a burst to catch up.
     */
    static final class Pacer {
        private static final long MAX_BACKLOG_NANOS = TimeUnit.SECONDS.toNanos(1);

        private final long intervalNanos;
        private long due;

        Pacer(double linesPerSecond) {
            this.intervalNanos = linesPerSecond > 0 ? Math.max(1, (long) (1e9 / linesPerSecond)) : 0;
            this.due = System.nanoTime();
        }

        /** Books the next line: returns how many nanoseconds to wait before sending it (0 if due). */
        long reserve() {
            if (intervalNanos == 0) {
                return 0;
            }
            long now = System.nanoTime();
            if (now - due > MAX_BACKLOG_NANOS) {
                due = now;
            }
            long wait = due - now;
            due += intervalNanos;
            return Math.max(0, wait);
        }

        /** Sleeps for about {@code nanos} nanoseconds. */
        static void sleep(long nanos) {
            long until = System.nanoTime() + nanos;
            long left;
            while ((left = until - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
        }
    }
}
