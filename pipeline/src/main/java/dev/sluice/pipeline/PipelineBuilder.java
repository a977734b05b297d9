package dev.sluice.pipeline;

import dev.sluice.api.DStream;
import dev.sluice.api.JobArgs;
import dev.sluice.api.Pair;
import dev.sluice.api.PairDStream;
import dev.sluice.api.StreamingContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * Declares a checked {@link PipelineSpec} on a {@link StreamingContext}: the sources in the
 * spec's order, then each stream after the streams it reads (in the spec's order
 * otherwise), then the outputs. The order fixes the operators' numbers, so every process
 * that builds the same spec gets the same graph.
 */
final class PipelineBuilder {

    private final StreamingContext ctx;
    private final PipelineSpec spec;
    private final Map<String, DStream<String>> inputs;
    private final JobArgs args;
    private final Map<String, StreamSpec> streams = new LinkedHashMap<>();
    private final Map<String, DStream<?>> defined = new LinkedHashMap<>();
    /** Every defined stream's slide: how often it has a batch (Spark's slideDuration). */
    private final Map<String, Duration> slides = new LinkedHashMap<>();

    /**
     * @param inputs streams to use for some sources instead of what the spec declares, by source name
     * @param args   the job's arguments, for {@code arg} sources
     */
    PipelineBuilder(StreamingContext ctx, PipelineSpec spec, Map<String, DStream<String>> inputs, JobArgs args) {
        this.ctx = ctx;
        this.spec = spec;
        this.inputs = inputs;
        this.args = args;
        spec.streams().forEach(s -> streams.put(s.name(), s));
        for (String name : inputs.keySet()) {
            if (spec.sources().stream().noneMatch(s -> s.name().equals(name))) {
                throw new IllegalArgumentException("an input is given for '" + name + "', which is not a source of "
                        + "the spec; its sources: " + String.join(", ", spec.sources().stream().map(SourceSpec::name).toList()));
            }
        }
    }

    /** Declares everything; returns every source and stream by name, in the spec's order. */
    Map<String, DStream<?>> build() {
        for (SourceSpec s : spec.sources()) {
            DStream<String> given = inputs.get(s.name());
            defined.put(s.name(), given != null ? given : SourceFactory.create(ctx, s, args));
            slides.put(s.name(), ctx.batchInterval());
        }
        for (StreamSpec s : spec.streams()) {
            define(s);
        }
        for (OutputSpec o : spec.outputs()) {
            output(o);
        }
        Map<String, DStream<?>> result = new LinkedHashMap<>();
        spec.names().forEach(n -> result.put(n, defined.get(n)));
        return Collections.unmodifiableMap(result);
    }

    private void define(StreamSpec s) {
        if (defined.containsKey(s.name())) {
            return;
        }
        for (String input : s.inputs()) {
            StreamSpec parent = streams.get(input);
            if (parent != null) {
                define(parent);
            }
        }
        Duration slide = slides.get(s.inputs().get(0));
        checkSameSlide(s);
        if (s.window() != null) {
            checkWindow(s, slide);
            if (s.window().slide() != null) {
                slide = s.window().slide();
            }
        }
        try {
            defined.put(s.name(), apply(s));
        } catch (PipelineSpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // The engine's own definition rules (e.g. a union of streams with different slides).
            throw new PipelineSpecException(s.window() != null ? s.window().path() : s.operationPath(), e.getMessage());
        }
        slides.put(s.name(), slide);
    }

    /** A join or union combines batches of the same times: its inputs must slide alike. */
    private void checkSameSlide(StreamSpec s) {
        List<String> inputs = s.inputs();
        Duration first = slides.get(inputs.get(0));
        for (int i = 1; i < inputs.size(); i++) {
            Duration other = slides.get(inputs.get(i));
            if (!other.equals(first)) {
                throw new PipelineSpecException(s.inputPath(i), s.operation().specKey() + " needs streams that have "
                        + "batches at the same times, but '" + inputs.get(i) + "' has one every " + format(other)
                        + " and '" + inputs.get(0) + "' every " + format(first)
                        + " (a window with a slide changes how often a stream has a batch)");
            }
        }
    }

    /** Windows must fit the batches they cover: both durations multiples of the input's slide. */
    private void checkWindow(StreamSpec s, Duration inputSlide) {
        WindowSpec w = s.window();
        String input = s.inputs().get(0);
        String unit = inputSlide.equals(ctx.batchInterval()) ? "the batch interval (" + format(inputSlide) + ")"
                : "the slide of '" + input + "' (" + format(inputSlide) + ")";
        if (w.length().toMillis() % inputSlide.toMillis() != 0) {
            throw new PipelineSpecException(SpecNode.child(w.path(), "length"), format(w.length())
                    + " is not a multiple of " + unit);
        }
        if (w.slide() != null && w.slide().toMillis() % inputSlide.toMillis() != 0) {
            throw new PipelineSpecException(SpecNode.child(w.path(), "slide"), format(w.slide())
                    + " is not a multiple of " + unit);
        }
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private DStream<?> apply(StreamSpec s) {
        Operation op = s.operation();
        String from = s.from();
        WindowSpec w = s.window();
        int p = s.partitions();
        String countedLines = WordCountFusion.countedLines(streams, s);
        if (countedLines != null) {
            return wordCount(countedLines, w, s, p);
        }
        if (op instanceof Operation.Split split) {
            return text(from).flatMap(FunctionCatalog.split(split.regex()));
        }
        if (op instanceof Operation.MapText map) {
            return text(from).map(FunctionCatalog.map(map.functions()));
        }
        if (op instanceof Operation.Filter f) {
            return switch (spec.types().get(from).kind()) {
                case TEXT -> text(from).filter(FunctionCatalog.textFilter(f));
                case NUMBER -> any(from).filter(FunctionCatalog.numberFilter(f));
                case PAIRS -> pairs(from).filter(FunctionCatalog.pairFilter(f));
            };
        }
        if (op instanceof Operation.ToPair pair) {
            return text(from).flatMapToPair(FunctionCatalog.toPair(pair));
        }
        if (op instanceof Operation.CountByValue) {
            if (w != null) {
                return p > 0 ? text(from).countByValueAndWindow(w.length(), slide(s), p)
                        : text(from).countByValueAndWindow(w.length(), slide(s));
            }
            return p > 0 ? text(from).countByValue(p) : text(from).countByValue();
        }
        if (op instanceof Operation.Count) {
            return w != null ? any(from).countByWindow(w.length(), slide(s)) : any(from).count();
        }
        if (op instanceof Operation.ReduceByKey r) {
            PairDStream<String, Object> values = r.aggregate() == Aggregate.COUNT
                    ? pairs(from).mapValues(v -> (Object) 1L) : pairs(from);
            BinaryOperator<Object> f = FunctionCatalog.reducer(r.aggregate());
            if (w != null) {
                return p > 0 ? values.reduceByKeyAndWindow(f, w.length(), slide(s), p)
                        : values.reduceByKeyAndWindow(f, w.length(), slide(s));
            }
            return p > 0 ? values.reduceByKey(f, p) : values.reduceByKey(f);
        }
        if (op instanceof Operation.State st) {
            return p > 0 ? pairs(from).updateStateByKey(FunctionCatalog.stateUpdate(st.aggregate()), p)
                    : pairs(from).updateStateByKey(FunctionCatalog.stateUpdate(st.aggregate()));
        }
        if (op instanceof Operation.Join j) {
            return p > 0 ? pairs(from).join(pairs(j.other()), p) : pairs(from).join(pairs(j.other()));
        }
        if (op instanceof Operation.Union u) {
            List<DStream<Object>> parts = new ArrayList<>();
            u.streams().forEach(n -> parts.add(any(n)));
            return union(parts);
        }
        return any(from).window(w.length(), slide(s));
    }

    /** Per batch (or window): each word of {@code lines} with how often it occurs, as {@code Long}s. */
    private PairDStream<String, Long> wordCount(String lines, WindowSpec w, StreamSpec s, int p) {
        PairDStream<String, Long> counts = text(lines).mapPartitionsToPair(new TokenCounts());
        BinaryOperator<Long> sum = Long::sum;
        if (w != null) {
            return p > 0 ? counts.reduceByKeyAndWindow(sum, w.length(), slide(s), p)
                    : counts.reduceByKeyAndWindow(sum, w.length(), slide(s));
        }
        return p > 0 ? counts.reduceByKey(sum, p) : counts.reduceByKey(sum);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private DStream<Object> union(List<DStream<Object>> parts) {
        return ctx.union(parts.toArray(new DStream[0]));
    }

    /** The window's slide, or its input's when it has none (one window per input batch). */
    private Duration slide(StreamSpec s) {
        return s.window().slide() != null ? s.window().slide() : slides.get(s.inputs().get(0));
    }

    private void output(OutputSpec o) {
        DStream<?> stream = defined.get(o.stream());
        try {
            if (o.isPrint()) {
                stream.print(o.print());
            } else {
                stream.saveAsTextFiles(o.prefix(), o.suffix());
            }
        } catch (PipelineSpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new PipelineSpecException(o.path(), e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private DStream<String> text(String name) {
        return (DStream<String>) defined.get(name);
    }

    @SuppressWarnings("unchecked")
    private DStream<Object> any(String name) {
        return (DStream<Object>) defined.get(name);
    }

    /**
     * The stream {@code name} as a pair stream. A union or window of pairs is a plain stream
     * of pairs in the API's types; it is viewed as pairs once, and that view is kept, so
     * every reader shares it.
     */
    @SuppressWarnings("unchecked")
    private PairDStream<String, Object> pairs(String name) {
        DStream<?> stream = defined.get(name);
        if (stream instanceof PairDStream<?, ?> pairs) {
            return (PairDStream<String, Object>) pairs;
        }
        PairDStream<String, Object> view = ((DStream<Pair<String, Object>>) stream).mapToPair(pair -> pair);
        defined.put(name, view);
        return view;
    }
}
