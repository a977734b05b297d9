package dev.sluice.bench.peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.legacy.RichSinkFunction;
import org.apache.flink.streaming.api.functions.source.legacy.SourceFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingProcessingTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The bench's word count on Flink: a local MiniCluster at parallelism 2, the socket source
 * ({@code socketTextStream}, non-parallel), and a keyed sum per word in processing-time tumbling
 * windows of {@code --batch}, the streaming counterpart of a micro-batch. Flink's defaults
 * otherwise (no checkpointing, 100 ms network buffer timeout on the job's own edges).
 *
 * <p>Per window it appends {@code {"windowEnd","words","distinct","endMs"}} to {@code --out}, with
 * {@code endMs} the wall-clock time the window's last per-word result reached the sink.
 *
 * <pre>java @flink-jvm.options -cp target/classes:$(cat target/classpath-flink.txt) \
 *   dev.sluice.bench.peers.FlinkWordCount --source 127.0.0.1:9999 --batch 1000ms --duration 75s --out flink.jsonl</pre>
 */
public final class FlinkWordCount {

    /** The job's parallelism: one task per core, as {@code local[2]} is for Spark. */
    static final int PARALLELISM = 2;

    private FlinkWordCount() {
    }

    public static void main(String[] args) throws Exception {
        long startMs = System.currentTimeMillis();
        RunnerArgs options;
        try {
            options = RunnerArgs.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("flink: " + e.getMessage());
            System.exit(2);
            return;
        }
        long linesBefore = lineCount(options.out());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM);
        env.socketTextStream(options.host(), options.port())
                .union(env.addSource(new Idle()).name("keep-alive"))
                .flatMap((String line, Collector<Tuple2<String, Integer>> out) -> {
                    for (String word : Words.of(line)) {
                        out.collect(Tuple2.of(word, 1));
                    }
                })
                .returns(Types.TUPLE(Types.STRING, Types.INT))
                .keyBy(wordCount -> wordCount.f0)
                .window(TumblingProcessingTimeWindows.of(Duration.ofMillis(options.batchMs())))
                .reduce((a, b) -> Tuple2.of(a.f0, a.f1 + b.f1), new TagWithWindow())
                // The results' edge to the sink flushes every record (see WindowTotalsSink).
                .setBufferTimeout(0)
                .addSink(new WindowTotalsSink(options.out().toString(), PARALLELISM))
                .setParallelism(1)
                .name("window totals");

        JobClient job = env.executeAsync("sluice-bench-flink-wordcount");
        int exit = 0;
        try {
            long left = Math.max(1, startMs + options.durationMs() - System.currentTimeMillis());
            job.getJobExecutionResult().get(left, TimeUnit.MILLISECONDS);
            // Ended before the deadline, which the keep-alive source prevents unless the job failed.
        } catch (TimeoutException e) {
            job.cancel().get();
            try {
                job.getJobExecutionResult().get();
            } catch (Exception cancelled) {
                // expected: the job ends as cancelled
            }
        } catch (Exception e) {
            System.err.println("flink: job failed: " + e);
            exit = 1;
        }
        System.out.println("done " + (lineCount(options.out()) - linesBefore) + " batches");
        // The MiniCluster is gone with the job; exit does not wait for stray non-daemon threads.
        System.exit(exit);
    }

    private static long lineCount(Path file) throws Exception {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }

    /**
     * Emits nothing and ends only when cancelled. The socket source ends when the generator hangs
     * up, and a job whose inputs have all ended drops its pending processing-time windows; this
     * second input keeps the job running, as an unbounded source would (Spark's receiver
     * reconnects and its batches go on), so the last window fires and the job ends at the deadline.
     */
    static final class Idle implements SourceFunction<String> {

        private volatile boolean running = true;

        @Override
        public void run(SourceContext<String> context) throws InterruptedException {
            while (running) {
                Thread.sleep(100);
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }

    /** Tags each word's window total with its window end and the window subtask that produced it. */
    static final class TagWithWindow extends ProcessWindowFunction<Tuple2<String, Integer>, Tuple3<Long, Integer, Integer>, String, TimeWindow> {

        @Override
        public void process(String word, Context context, Iterable<Tuple2<String, Integer>> total,
                            Collector<Tuple3<Long, Integer, Integer>> out) {
            out.collect(Tuple3.of(context.window().getEnd(), getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                    total.iterator().next().f1));
        }
    }

    /**
     * Sums the per-word results of each window into one line: the words and the distinct words
     * (one result per distinct word), and when the last result arrived.
     *
     * <p>Why parallelism 1: the two window subtasks each fire their half of the keys, so a
     * window's totals exist only where both halves meet. The sink is the one place that sees all
     * results; it adds up two numbers per distinct word, nothing the count depends on, so it does not
     * hold the job back. It cannot tell a window's last result when it arrives, so it writes a
     * window once every window subtask has sent a result of a later window (each subtask's results
     * arrive in window order), or when the job ends; {@code endMs} is the arrival of the last result,
     * taken when it arrived, so writing later does not move it.
     *
     * <p>Why the window operator's output has a buffer timeout of 0: this sink is a network hop
     * that only the measurement adds. With Flink's default 100 ms timeout, the last, partly filled
     * buffer of each firing waits for the periodic flusher, and {@code endMs} would drift through a
     * 0–100 ms sawtooth with the flusher's phase (seen in runs: +5–10 ms per window, wrapping at 100).
     * Flushing per record costs at most one flush per distinct word per window (10,000 words in the
     * vocabulary), small next to the words per second the job takes in; every other edge of the job
     * keeps Flink's default.
     */
    static final class WindowTotalsSink extends RichSinkFunction<Tuple3<Long, Integer, Integer>> {

        private final String file;
        private final int upstream;
        private transient JsonLines out;
        /** Window end → {words, distinct, last arrival ms}. */
        private transient TreeMap<Long, long[]> open;
        /** The latest window end seen from each window subtask. */
        private transient long[] latestEnd;

        WindowTotalsSink(String file, int upstream) {
            this.file = file;
            this.upstream = upstream;
        }

        @Override
        public void open(OpenContext context) {
            out = new JsonLines(Path.of(file));
            open = new TreeMap<>();
            latestEnd = new long[upstream];
            Arrays.fill(latestEnd, Long.MIN_VALUE);
        }

        @Override
        public void invoke(Tuple3<Long, Integer, Integer> result, Context context) {
            long now = System.currentTimeMillis();
            long[] window = open.computeIfAbsent(result.f0, end -> new long[3]);
            window[0] += result.f2;
            window[1]++;
            window[2] = now;
            latestEnd[result.f1] = Math.max(latestEnd[result.f1], result.f0);
            long complete = Arrays.stream(latestEnd).min().getAsLong();
            while (!open.isEmpty() && open.firstKey() < complete) {
                write(open.pollFirstEntry());
            }
        }

        @Override
        public void finish() {
            writeAll();
        }

        @Override
        public void close() throws Exception {
            if (out != null) {
                writeAll();
                out.close();
            }
        }

        private void writeAll() {
            while (open != null && !open.isEmpty()) {
                write(open.pollFirstEntry());
            }
        }

        private void write(Map.Entry<Long, long[]> window) {
            long[] w = window.getValue();
            out.write("windowEnd", window.getKey(), "words", w[0], "distinct", w[1], "endMs", w[2]);
        }
    }
}
