package dev.sluice.bench.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sluice.bench.load.Corpus;
import dev.sluice.bench.load.Durations;
import dev.sluice.bench.load.RateSchedule;
import dev.sluice.bench.load.SendLog;
import dev.sluice.bench.load.SocketLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark harness: runs each contender on the same generated load at a series of
 * offered rates, one run per (contender, rate), and reports what each sustained.
 *
 * <pre>
 * java -cp bench/harness/target/sluice-bench-0.1.0-SNAPSHOT.jar:... dev.sluice.bench.harness.Bench \
 *     --systems sluice,spark,flink --rates 1m,2m,3m,4m --batch 1s
 *
 *   --systems LIST   sluice (the pipeline job's word count), sluice-unfused (the same spec on
 *                    the general path), spark, flink (need -Ppeers built); default sluice
 *   --rates LIST     offered words per second, e.g. 500k,1m,1.5m (default 1m,2m)
 *   --batch D        batch interval, and Flink's window (default 1s)
 *   --ramp D         time to ramp the rate up (default 10s)
 *   --measure D      measured time after the ramp (default 60s)
 *   --out DIR        where the results go (default bench/results)
 *   --root DIR       the Sluice checkout, for ./sluice and bench/peers (default .)
 *   --port-base B    ports of the local Sluice instance (default 28080)
 * </pre>
 */
public final class Bench {

    private final Options options;
    private final Corpus corpus = Corpus.standard();

    private Bench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        new Bench(options).run();
    }

    private void run() throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("sluice-bench-");
        List<RunResult> results = new ArrayList<>();
        for (String system : options.systems) {
            for (double rate : options.rates) {
                RunResult r = runOne(contender(system, work), rate);
                results.add(r);
                System.out.println(ResultTable.row(r));
                System.out.flush();
            }
        }
        String table = ResultTable.markdown(results, options.describe());
        System.out.println();
        System.out.println(table);
        Files.createDirectories(options.out);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmm"));
        String name = stamp + "-" + options.batchMs + "ms";
        Files.writeString(options.out.resolve(name + ".md"), table);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(options.out.resolve(name + ".json").toFile(), results);
        System.out.println("results: " + options.out.resolve(name + ".md"));
    }

    private Contender contender(String system, Path work) {
        long duration = options.rampMs + options.measureMs + 60_000;
        return switch (system) {
            case "sluice" -> new SluiceContender(true, options.root, work, options.portBase);
            case "sluice-unfused" -> new SluiceContender(false, options.root, work, options.portBase);
            case "spark" -> PeerContender.spark(options.root, work, duration);
            case "flink" -> PeerContender.flink(options.root, work, duration);
            default -> throw new IllegalArgumentException("unknown system " + system);
        };
    }

    private RunResult runOne(Contender contender, double wordsPerSec) throws IOException, InterruptedException {
        SendLog log = new SendLog();
        long sendMs = options.rampMs + options.measureMs + 30_000;
        try (SocketLoad load = new SocketLoad(0, corpus, RateSchedule.ofWords(wordsPerSec, options.rampMs), log);
             contender) {
            load.start(sendMs);
            contender.start(load.port(), options.batchMs);
            waitFor(() -> log.total() > 0, 120_000, contender.name() + " did not connect to the generator within 120 s");
            long from = log.firstSendMs() + options.rampMs;
            long to = from + options.measureMs;
            sleepUntil(from);
            long cpuBefore = cpu(contender);
            sleepUntil(to);
            long cpuMs = cpu(contender) - cpuBefore;
            Map<String, Long> rss = new LinkedHashMap<>();
            contender.processes().forEach(p -> rss.put(p.role(), ProcessStats.peakRssMb(p.pid())));
            // Let the units of the window finish, if they are going to.
            long deadline = System.currentTimeMillis() + 3 * options.batchMs + 15_000;
            List<OutputUnit> units = contender.units();
            while (System.currentTimeMillis() < deadline && (units.isEmpty() || units.get(units.size() - 1).timeMs() < to)) {
                Thread.sleep(500);
                units = contender.units();
            }
            return RunResult.of(contender.name(), options.batchMs, wordsPerSec, units, log, from, to, cpuMs, rss);
        }
    }

    private static long cpu(Contender contender) {
        return contender.processes().stream().mapToLong(p -> ProcessStats.cpuMs(p.pid())).sum();
    }

    private static void sleepUntil(long wallMs) throws InterruptedException {
        long wait = wallMs - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private interface Condition {
        boolean holds();
    }

    private static void waitFor(Condition condition, long timeoutMs, String failure) throws InterruptedException, IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IOException(failure);
            }
            Thread.sleep(100);
        }
    }

    private record Options(List<String> systems, List<Double> rates, long batchMs, long rampMs, long measureMs,
                           Path out, Path root, int portBase) {

        String describe() {
            return String.format(Locale.ROOT, "%d ms batches, %d s ramp, %d s measured, socket source, word count of "
                    + "10-word lines over a 10,000-word Zipf vocabulary", batchMs, rampMs / 1000, measureMs / 1000);
        }

        static Options parse(String[] args) {
            List<String> systems = List.of("sluice");
            List<Double> rates = List.of(1e6, 2e6);
            long batch = 1000;
            long ramp = 10_000;
            long measure = 60_000;
            Path out = Path.of("bench/results");
            Path root = Path.of(".");
            int portBase = 28080;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                String value = args[++i];
                switch (flag) {
                    case "--systems" -> systems = List.of(value.split(","));
                    case "--rates" -> rates = parseRates(value);
                    case "--batch" -> batch = Durations.parse(value, flag).toMillis();
                    case "--ramp" -> ramp = Durations.parse(value, flag).toMillis();
                    case "--measure" -> measure = Durations.parse(value, flag).toMillis();
                    case "--out" -> out = Path.of(value);
                    case "--root" -> root = Path.of(value);
                    case "--port-base" -> portBase = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
            for (String s : systems) {
                if (!List.of("sluice", "sluice-unfused", "spark", "flink").contains(s)) {
                    throw new IllegalArgumentException("--systems: unknown system '" + s + "'; known: sluice, sluice-unfused, spark, flink");
                }
            }
            return new Options(systems, rates, batch, ramp, measure, out, root.toAbsolutePath().normalize(), portBase);
        }

        /** {@code 500k,1m,1.5m} → words per second. */
        static List<Double> parseRates(String text) {
            List<Double> rates = new ArrayList<>();
            for (String r : text.toLowerCase(Locale.ROOT).split(",")) {
                double scale = r.endsWith("m") ? 1e6 : r.endsWith("k") ? 1e3 : 1;
                String number = scale == 1 ? r : r.substring(0, r.length() - 1);
                try {
                    rates.add(Double.parseDouble(number) * scale);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--rates: '" + r + "' is not a rate like 500k or 1.5m");
                }
            }
            return rates;
        }
    }
}
