package dev.sluice.examples.tour;

import dev.sluice.api.DStream;
import dev.sluice.api.JobArgs;
import dev.sluice.api.Pair;
import dev.sluice.api.PairDStream;
import dev.sluice.api.StateSpec;
import dev.sluice.api.StreamingContext;
import dev.sluice.api.StreamingJob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Every DStream operation, each as a named case over two fixed queue streams. The job
 * {@code operator-tour} runs them all at once and writes each case's batches as text
 * under {@code <out>/<case>/<batchTimeMs>.txt}, one record per line; the end-to-end tests
 * compare that with {@code StreamTest} running each case alone. Arguments: {@code out}
 * (required), {@code batch} (1s; windows below assume it).
 */
public final class OperatorTour implements StreamingJob {

    /** The first input: lines of words, with empty batches among them. */
    public static final List<List<String>> LEFT = List.of(
            List.of("a b a", "c"),
            List.of("b b", "a d", "e"),
            List.of(),
            List.of("a", "c c c"),
            List.of("d e", "a b"),
            List.of(),
            List.of("e"),
            List.of("b a"));

    /** The second input, for the two-stream operations. */
    public static final List<List<String>> RIGHT = List.of(
            List.of("a x", "z"),
            List.of(),
            List.of("c y"),
            List.of("a", "b w"),
            List.of("q"),
            List.of("a"),
            List.of(),
            List.of("b"));

    /** How many batches to run: the input, then empty batches while windows and state drain. */
    public static final int BATCHES = 11;

    private static final Duration ONE = Duration.ofSeconds(1);
    private static final Duration TWO = Duration.ofSeconds(2);
    private static final Duration THREE = Duration.ofSeconds(3);

    /**
     * One operation to compare.
     *
     * @param op makes the case's stream from the two inputs
     */
    public record Case(String name, BiFunction<DStream<String>, DStream<String>, DStream<?>> op) {
    }

    @Override
    public String name() {
        return "operator-tour";
    }

    @Override
    public void define(StreamingContext ctx, JobArgs args) {
        Path out = Path.of(args.require("out"));
        DStream<String> left = ctx.queueStream(LEFT);
        DStream<String> right = ctx.queueStream(RIGHT);
        for (Case c : cases()) {
            Path dir = out.resolve(c.name());
            c.op().apply(left, right).foreachBatch((batch, time) -> write(dir, time, batch.collect()));
        }
        words(left).mapToPair(w -> Pair.of(w, 1L)).reduceByKey(Long::sum).saveAsHadoopFiles(
                out.resolve("saveAsHadoopFiles").resolve("part").toString(), null);
    }

    private static void write(Path dir, long time, List<?> records) {
        List<String> lines = new ArrayList<>(records.size());
        records.forEach(r -> lines.add(String.valueOf(r)));
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(time + ".txt"), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The words of every line. */
    public static DStream<String> words(DStream<String> lines) {
        return lines.flatMap(l -> Arrays.asList(l.split(" "))).filter(w -> !w.isEmpty());
    }

    private static PairDStream<String, Long> ones(DStream<String> lines) {
        return words(lines).mapToPair(w -> Pair.of(w, 1L));
    }

    private static PairDStream<String, String> tagged(DStream<String> lines, String tag) {
        return words(lines).mapToPair(w -> Pair.of(w, tag + w.length()));
    }

    /** Every case, in a fixed order. */
    public static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("narrow", (l, r) -> words(l).map(String::toUpperCase)
                .mapPartitions(OperatorTour::numbered).glom().map(List::toString)));
        cases.add(new Case("mapPartitionsToPair", (l, r) -> words(l).mapPartitionsToPair(OperatorTour::firstAndSize)));
        cases.add(new Case("flatMapToPair", (l, r) -> l.flatMapToPair(line -> List.of(Pair.of(line.length(), line)))));
        cases.add(new Case("count", (l, r) -> l.count()));
        cases.add(new Case("countByValue", (l, r) -> words(l).countByValue()));
        cases.add(new Case("countByValue3", (l, r) -> words(l).countByValue(3)));
        cases.add(new Case("reduce", (l, r) -> words(l).reduce((a, b) -> a.compareTo(b) <= 0 ? a + b : b + a)));
        cases.add(new Case("repartition", (l, r) -> words(l).repartition(3).glom().map(List::toString)));
        cases.add(new Case("union", (l, r) -> words(l).union(words(r))));
        cases.add(new Case("transform", (l, r) -> words(l).transform(b -> b.filter(w -> !w.equals("a")).map(w -> w + w))));
        cases.add(new Case("transformTimed", (l, r) -> words(l).transform((b, t) -> b.map(w -> w + ":" + (t % 1000)))));
        cases.add(new Case("transformToPair", (l, r) -> words(l).transformToPair(
                b -> b.mapToPair(w -> Pair.of(w, 1)).reduceByKey(Integer::sum).sortByKey(true))));
        cases.add(new Case("transformToPairTimed", (l, r) -> words(l).transformToPair(
                (b, t) -> b.mapToPair(w -> Pair.of(w, t % 1000 == 0)))));
        cases.add(new Case("transformWith", (l, r) -> words(l).transformWith(words(r),
                (a, b, t) -> a.union(b).filter(w -> w.compareTo("c") < 0))));
        cases.add(new Case("contextTransform", (l, r) -> l.context().<String>transform(List.of(words(l), words(r)),
                (batches, t) -> batches.get(1).map(w -> "R" + w).union(batches.get(0).map(w -> "L" + w)))));
        cases.add(new Case("window", (l, r) -> words(l).window(TWO)));
        cases.add(new Case("window3x2", (l, r) -> words(l).window(THREE, TWO)));
        cases.add(new Case("countByWindow", (l, r) -> words(l).countByWindow(TWO, ONE)));
        cases.add(new Case("reduceByWindow", (l, r) -> words(l).map(String::length).reduceByWindow(Integer::sum, THREE, TWO)));
        cases.add(new Case("reduceByWindowInverse", (l, r) -> words(l).map(String::length)
                .reduceByWindow(Integer::sum, (a, b) -> a - b, TWO, ONE)));
        cases.add(new Case("countByValueAndWindow", (l, r) -> words(l).countByValueAndWindow(THREE, ONE)));
        cases.add(new Case("mapValues", (l, r) -> ones(l).mapValues(v -> v * 10)));
        cases.add(new Case("flatMapValues", (l, r) -> tagged(l, "v").flatMapValues(v -> List.of(v, v + "!"))));
        cases.add(new Case("groupByKey", (l, r) -> tagged(l, "g").groupByKey()));
        cases.add(new Case("reduceByKey", (l, r) -> ones(l).reduceByKey(Long::sum)));
        cases.add(new Case("reduceByKey3", (l, r) -> ones(l).reduceByKey(Long::sum, 3)));
        cases.add(new Case("combineByKey", (l, r) -> ones(l).combineByKey(v -> List.of(v), (c, v) -> concat(c, v),
                (a, b) -> concat(a, b), 2).mapValues(List::size)));
        cases.add(new Case("join", (l, r) -> tagged(l, "l").join(tagged(r, "r"))));
        cases.add(new Case("leftOuterJoin", (l, r) -> tagged(l, "l").leftOuterJoin(tagged(r, "r"))));
        cases.add(new Case("rightOuterJoin", (l, r) -> tagged(l, "l").rightOuterJoin(tagged(r, "r"), 3)));
        cases.add(new Case("fullOuterJoin", (l, r) -> tagged(l, "l").fullOuterJoin(tagged(r, "r"))));
        cases.add(new Case("cogroup", (l, r) -> tagged(l, "l").cogroup(tagged(r, "r"))));
        cases.add(new Case("groupByKeyAndWindow", (l, r) -> tagged(l, "w").groupByKeyAndWindow(TWO, ONE)));
        cases.add(new Case("reduceByKeyAndWindow", (l, r) -> ones(l).reduceByKeyAndWindow(Long::sum, THREE, TWO)));
        cases.add(new Case("reduceByKeyAndWindowInverse", (l, r) -> ones(l)
                .reduceByKeyAndWindow(Long::sum, (a, b) -> a - b, THREE, ONE)));
        cases.add(new Case("reduceByKeyAndWindowFiltered", (l, r) -> ones(l)
                .reduceByKeyAndWindow(Long::sum, (a, b) -> a - b, TWO, TWO, 3, kv -> kv.second() > 0)));
        cases.add(new Case("updateStateByKey", (l, r) -> ones(l).<Long>updateStateByKey(
                (vs, s) -> Optional.of(s.orElse(0L) + vs.size()))));
        cases.add(new Case("updateStateByKeyInitial", (l, r) -> ones(l).updateStateByKey(
                (vs, s) -> vs.isEmpty() && s.orElse(0L) > 2 ? Optional.<Long>empty() : Optional.of(s.orElse(0L) + vs.size()),
                3, List.of(Pair.of("z", 5L), Pair.of("a", 100L)))));
        cases.add(new Case("mapWithState", (l, r) -> ones(l).mapWithState(StateSpec.<String, Long, Long, String>function(
                (k, v, s) -> {
                    if (s.isTimingOut()) {
                        return k + " timed out at " + s.get();
                    }
                    long n = s.getOption().orElse(0L) + v.orElse(0L);
                    s.update(n);
                    return k + "=" + n;
                }).timeout(TWO).initialState(List.of(Pair.of("q", 7L))))));
        cases.add(new Case("stateSnapshots", (l, r) -> ones(l).mapWithState(StateSpec.<String, Long, Long, Long>function(
                (k, v, s) -> {
                    if (k.equals("e")) {
                        s.remove();
                    } else {
                        s.update(s.getOption().orElse(0L) + 1);
                    }
                    return null;
                }).numPartitions(3)).stateSnapshots()));
        cases.add(new Case("cache", (l, r) -> {
            DStream<String> kept = words(l).cache();
            return kept.count().union(kept.map(w -> (long) w.length()));
        }));
        cases.add(new Case("checkpoint", (l, r) -> ones(l).reduceByKey(Long::sum).checkpoint(TWO).mapValues(v -> -v)));
        return cases;
    }

    private static List<Long> concat(List<Long> list, Long v) {
        List<Long> out = new ArrayList<>(list);
        out.add(v);
        return out;
    }

    private static List<Long> concat(List<Long> a, List<Long> b) {
        List<Long> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** A partition's first word and its number of words, or nothing for an empty partition. */
    private static Iterator<Pair<String, Integer>> firstAndSize(Iterator<String> words) {
        if (!words.hasNext()) {
            return List.<Pair<String, Integer>>of().iterator();
        }
        String first = words.next();
        int n = 1;
        for (; words.hasNext(); words.next()) {
            n++;
        }
        return List.of(Pair.of(first, n)).iterator();
    }

    private static Iterator<String> numbered(Iterator<String> words) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (words.hasNext()) {
            out.add(i++ + ":" + words.next());
        }
        return out.iterator();
    }
}
