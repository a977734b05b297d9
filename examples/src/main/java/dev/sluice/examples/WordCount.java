package dev.sluice.examples;

import dev.sluice.api.DStream;
import dev.sluice.api.JobArgs;
import dev.sluice.api.KafkaRecord;
import dev.sluice.api.Pair;
import dev.sluice.api.PairDStream;
import dev.sluice.api.StreamingContext;
import dev.sluice.api.StreamingJob;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Counts words per batch. Arguments: {@code source=socket://host:port},
 * {@code source=dir:/path} or {@code source=http:<path>} (lines POSTed to the receivers'
 * {@code /api/ingest/<path>}), {@code source=kafka:<servers>/<topic>} (the values of a
 * topic's records, from the earliest offset the job's consumer group has not committed),
 * or several of them separated by commas (their union);
 * {@code output=<prefix>} to write each batch's counts as
 * {@code (word,count)} lines under {@code <prefix>-<batchTimeMs>/part-NNNNN};
 * {@code top=N} words to print per batch (default 10); {@code batch=1s}.
 */
public final class WordCount implements StreamingJob {

    @Override
    public String name() {
        return "wordcount";
    }

    @Override
    public void define(StreamingContext ctx, JobArgs args) {
        PairDStream<String, Long> counts = lines(ctx, args.require("source"))
                .flatMap(WordCount::words)
                .mapToPair(w -> Pair.of(w, 1L))
                .reduceByKey(Long::sum);
        int top = args.getInt("top", 10);
        counts.foreachBatch((batch, time) -> printTop(batch.collect(), time, top));
        String output = args.get("output");
        if (output != null && !output.isEmpty()) {
            counts.saveAsTextFiles(output, null);
        }
    }

    /** The words of a line: split on whitespace, lower-cased, stripped of surrounding punctuation. */
    static List<String> words(String line) {
        return Arrays.stream(line.split("\\s+"))
                .map(w -> w.replaceAll("^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+$", "").toLowerCase(Locale.ROOT))
                .filter(w -> !w.isEmpty())
                .toList();
    }

    /** The lines of one source, or the union of several separated by commas. */
    static DStream<String> lines(StreamingContext ctx, String sources) {
        DStream<String> all = null;
        for (String source : sources.split(",")) {
            DStream<String> one = source(ctx, source.trim());
            all = all == null ? one : all.union(one);
        }
        return all;
    }

    private static DStream<String> source(StreamingContext ctx, String source) {
        if (source.startsWith("socket://")) {
            String hostPort = source.substring("socket://".length());
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("source '" + source + "' must be socket://host:port");
            }
            try {
                return ctx.socketTextStream(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("source '" + source + "': port is not a number");
            }
        }
        if (source.startsWith("dir:")) {
            return ctx.textFileStream(source.substring("dir:".length()));
        }
        if (source.startsWith("http:")) {
            return ctx.httpStream(source.substring("http:".length()));
        }
        if (source.startsWith("kafka:")) {
            String spec = source.substring("kafka:".length());
            int slash = spec.lastIndexOf('/');
            if (slash <= 0 || slash == spec.length() - 1) {
                throw new IllegalArgumentException("source '" + source + "' must be kafka:<servers>/<topic>");
            }
            String topic = spec.substring(slash + 1);
            return ctx.kafkaStream(spec.substring(0, slash), List.of(topic),
                    Map.of("startingOffsets", "earliest", "group.id", "wordcount-" + topic)).map(KafkaRecord::value);
        }
        throw new IllegalArgumentException("source '" + source + "' must be socket://host:port, dir:/path, http:<path> or kafka:<servers>/<topic>");
    }

    private static void printTop(List<Pair<String, Long>> counts, long time, int top) {
        long words = counts.stream().mapToLong(Pair::second).sum();
        StringBuilder sb = new StringBuilder();
        sb.append("-------------------------------------------\n");
        sb.append("Time: ").append(time).append(" ms — ").append(words).append(" words, ")
                .append(counts.size()).append(" distinct\n");
        sb.append("-------------------------------------------\n");
        counts.stream()
                .sorted(Comparator.comparing((Pair<String, Long> p) -> p.second()).reversed().thenComparing(Pair::first))
                .limit(top)
                .forEach(p -> sb.append(String.format("%8d  %s%n", p.second(), p.first())));
        sb.append('\n');
        System.out.print(sb);
        System.out.flush();
    }
}
