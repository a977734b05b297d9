package dev.sluice.bench.peers;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import scala.Option;
import scala.Tuple2;

/**
 * The bench's word count on Spark Streaming (DStreams), the model Sluice follows, run as a user
 * would run it: {@code local[2]}, {@code socketTextStream} with its default storage level
 * (MEMORY_AND_DISK_SER_2; its receiver holds one of the two cores), Spark's defaults otherwise
 * (no rate limit, no backpressure, no write-ahead log). Only the UI is off, the driver stays on loopback and logging is at WARN.
 *
 * <p>Per batch it appends {@code {"batchTime","lines","words","distinct","schedulingDelayMs",
 * "processingMs","endMs"}} to {@code --out}. The words and distinct words come from one Spark job
 * over the reduced RDD (an {@code aggregate}, so every reduce partition is computed, as a real
 * output would); the times come from Spark's own {@link BatchInfo}, with {@code endMs} the
 * wall-clock end of the batch's processing.
 *
 * <pre>java @jvm.options -cp target/classes:$(cat target/classpath-spark.txt) \
 *   dev.sluice.bench.peers.SparkStreamingWordCount --source 127.0.0.1:9999 --batch 1000ms --duration 75s --out spark.jsonl</pre>
 */
public final class SparkStreamingWordCount {

    private SparkStreamingWordCount() {
    }

    public static void main(String[] args) throws Exception {
        long startMs = System.currentTimeMillis();
        RunnerArgs options;
        try {
            options = RunnerArgs.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("spark: " + e.getMessage());
            System.exit(2);
            return;
        }
        SparkConf conf = new SparkConf()
                .setMaster("local[2]")
                .setAppName("sluice-bench-spark-wordcount")
                .set("spark.ui.enabled", "false")
                // Local mode talks to itself only: keep the driver on loopback, not the host's address.
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.milliseconds(options.batchMs()));
        ssc.sparkContext().setLogLevel("WARN");

        // Filled by the output operation (on the job generator's thread), read by the listener once
        // the batch is complete: words and distinct words per batch time.
        Map<Long, long[]> totals = new ConcurrentHashMap<>();
        JavaPairDStream<String, Integer> counts = ssc.socketTextStream(options.host(), options.port())
                .flatMap(line -> Words.of(line).iterator())
                .mapToPair(word -> new Tuple2<>(word, 1))
                .reduceByKey(Integer::sum);
        counts.foreachRDD((rdd, time) -> {
            long[] wordsAndDistinct = rdd.aggregate(new long[2],
                    (acc, wordCount) -> {
                        acc[0] += wordCount._2();
                        acc[1]++;
                        return acc;
                    },
                    (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            totals.put(time.milliseconds(), wordsAndDistinct);
        });

        try (JsonLines out = new JsonLines(options.out())) {
            ssc.addStreamingListener(new StreamingListener() {
                @Override
                public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
                    BatchInfo info = completed.batchInfo();
                    long batchTime = info.batchTime().milliseconds();
                    long[] t = totals.remove(batchTime);
                    if (t == null) {
                        System.err.println("spark: batch " + batchTime + " completed without its output (failed job?)");
                        t = new long[] {-1, -1};
                    }
                    out.write("batchTime", batchTime, "lines", info.numRecords(), "words", t[0], "distinct", t[1],
                            "schedulingDelayMs", millis(info.schedulingDelay()), "processingMs", millis(info.processingDelay()),
                            "endMs", millis(info.processingEndTime()));
                }
            });
            ssc.start();
            ssc.awaitTerminationOrTimeout(Math.max(1, startMs + options.durationMs() - System.currentTimeMillis()));
            // Not graceful, as the harness wants: a batch still running is cut short, and the last
            // completions may not reach the listener before its bus stops (the final batches only).
            ssc.stop(true, false);
            System.out.println("done " + out.lines() + " batches");
        }
        // Spark and Netty can leave non-daemon threads behind; the run is over and its output flushed.
        System.exit(0);
    }

    private static long millis(Option<Object> value) {
        return value.isDefined() ? (Long) value.get() : -1;
    }
}
