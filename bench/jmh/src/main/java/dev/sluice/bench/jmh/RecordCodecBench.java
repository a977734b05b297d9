package dev.sluice.bench.jmh;

import dev.sluice.api.Pair;
import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.engine.codec.RecordReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The record codec on a block of {@value #RECORDS} records, per record: text lines of 10 words
 * as a receiver stores them ({@code RecordWriter.write} of each line), and (String, Long) pairs
 * as map-side combined shuffle buckets hold them. Encoding goes through
 * {@link RecordCodec#encode(Iterable)} (a new writer, grown by doubling, then copied out), as
 * receivers, kept partitions and task results do; decoding iterates a {@link RecordReader} over
 * the bytes, as a task reading a block or a bucket does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class RecordCodecBench {

    static final int RECORDS = Workload.LINES;

    private List<Object> lines;
    private List<Object> pairs;
    private byte[] encodedLines;
    private byte[] encodedPairs;

    @Setup
    public void setup() {
        lines = new ArrayList<>(Workload.lines(RECORDS));
        List<String> words = Workload.words(Workload.lines(RECORDS));
        pairs = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            // Word counts as a map-side combine leaves them: mostly small.
            pairs.add(Pair.of(words.get(i), 1L + (i * 7919L) % 1000));
        }
        encodedLines = RecordCodec.encode(lines);
        encodedPairs = RecordCodec.encode(pairs);
        System.out.printf("%n[RecordCodecBench] %d records: lines %.1f bytes/record encoded, pairs %.1f bytes/record%n",
                RECORDS, (double) encodedLines.length / RECORDS, (double) encodedPairs.length / RECORDS);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public byte[] encodeLines() {
        return RecordCodec.encode(lines);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void decodeLines(Blackhole bh) {
        RecordReader r = new RecordReader(encodedLines);
        while (r.hasNext()) {
            bh.consume(r.next());
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public byte[] encodePairs() {
        return RecordCodec.encode(pairs);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void decodePairs(Blackhole bh) {
        RecordReader r = new RecordReader(encodedPairs);
        while (r.hasNext()) {
            bh.consume(r.next());
        }
    }
}
