package dev.sluice.pipeline;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a good spec parses into. The bad ones are in {@link SpecErrorsTest}. */
class SpecParserTest {

    static final String FULL = """
            sources:
              lines: {socket: "localhost:9999"}
              files: {dir: /in}
              clicks: {http: clicks}
              events: {kafka: {servers: "k1:9092,k2:9092", topics: [a, b], options: {maxRatePerPartition: 100}}}
              fed: {arg: source}
            streams:
              all:    {union: [lines, files, clicks, events, fed]}
              words:  {from: all, flatMap: {split: "\\\\s+"}}
              lower:  {from: words, map: [trim, lower]}
              kept:   {from: lower, filter: {regex: "^[a-z]+$", not-regex: "^(a|the)$"}}
              pairs:  {from: kept, pair: {key: "$0", value: 1}}
              counts: {from: pairs, reduceByKey: sum, partitions: 4}
              win:    {from: pairs, window: {length: 30s, slide: 10s}, reduceByKey: sum}
              total:  {from: pairs, state: count}
              big:    {from: total, filter: {at-least: 2}}
              prices: {from: lines, pair: {split: ",", key: "$1", value: "$2"}}
              names:  {from: lines, pair: {split: ",", key: "$1", value: {text: "$3"}}}
              joined: {from: prices, join: names}
              n:      {from: kept, count: true, window: {length: 2m}}
              often:  {from: kept, countByValue: true}
              recent: {from: kept, window: {length: 500ms}}
            outputs:
              - {stream: counts, print: 10}
              - {stream: win, saveAsTextFiles: {prefix: /out/win, suffix: txt}}
              - {stream: big, print: true}
              - {stream: joined, print: 5}
              - {stream: n, print: 1}
              - {stream: often, print: 3}
              - {stream: recent, saveAsTextFiles: {prefix: /out/recent}}
            """;

    @Test
    void parsesEveryPartOfTheLanguage() {
        PipelineSpec spec = new SpecParser().parse(FULL);

        assertEquals(List.of("lines", "files", "clicks", "events", "fed", "all", "words", "lower", "kept", "pairs",
                "counts", "win", "total", "big", "prices", "names", "joined", "n", "often", "recent"), spec.names());
        assertEquals(new SourceSpec.Socket("lines", "sources.lines", "localhost", 9999), spec.sources().get(0));
        assertEquals(new SourceSpec.Dir("files", "sources.files", "/in"), spec.sources().get(1));
        assertEquals(new SourceSpec.Http("clicks", "sources.clicks", "clicks"), spec.sources().get(2));
        assertEquals(new SourceSpec.Kafka("events", "sources.events", "k1:9092,k2:9092", List.of("a", "b"),
                Map.of("maxRatePerPartition", "100")), spec.sources().get(3));
        assertEquals(new SourceSpec.Arg("fed", "sources.fed", "source"), spec.sources().get(4));

        StreamSpec words = stream(spec, "words");
        assertEquals("\\s+", ((Operation.Split) words.operation()).regex().pattern());
        assertEquals(List.of(TextFunction.TRIM, TextFunction.LOWER),
                ((Operation.MapText) stream(spec, "lower").operation()).functions());
        Operation.Filter kept = (Operation.Filter) stream(spec, "kept").operation();
        assertEquals("^[a-z]+$", kept.regex().pattern());
        assertEquals("^(a|the)$", kept.notRegex().pattern());
        assertNull(kept.atLeast());
        Operation.ToPair pairs = (Operation.ToPair) stream(spec, "pairs").operation();
        assertEquals(Extractor.field(0, ValueType.TEXT), pairs.key());
        assertEquals(Extractor.constant(1L), pairs.value());
        StreamSpec counts = stream(spec, "counts");
        assertEquals(new Operation.ReduceByKey(Aggregate.SUM), counts.operation());
        assertEquals(4, counts.partitions());
        StreamSpec win = stream(spec, "win");
        assertEquals(new WindowSpec(Duration.ofSeconds(30), Duration.ofSeconds(10), "streams.win.window"), win.window());
        assertEquals(new Operation.State(Aggregate.COUNT), stream(spec, "total").operation());
        assertEquals(2L, ((Operation.Filter) stream(spec, "big").operation()).atLeast());
        assertEquals(Extractor.field(2, ValueType.NUMBER), ((Operation.ToPair) stream(spec, "prices").operation()).value());
        assertEquals(Extractor.field(3, ValueType.TEXT), ((Operation.ToPair) stream(spec, "names").operation()).value());
        assertEquals(List.of("prices", "names"), stream(spec, "joined").inputs());
        assertNull(stream(spec, "n").window().slide());
        assertInstanceOf(Operation.Window.class, stream(spec, "recent").operation());

        assertEquals(StreamType.TEXT, spec.types().get("all"));
        assertEquals(StreamType.pairs(ValueType.NUMBER), spec.types().get("counts"));
        assertEquals(StreamType.pairs(ValueType.PAIR), spec.types().get("joined"));
        assertEquals(StreamType.NUMBER, spec.types().get("n"));
        assertEquals(StreamType.pairs(ValueType.TEXT), spec.types().get("names"));

        assertEquals(new OutputSpec("outputs[0]", "counts", 10, null, null), spec.outputs().get(0));
        assertEquals(new OutputSpec("outputs[1]", "win", 0, "/out/win", "txt"), spec.outputs().get(1));
        assertEquals(10, spec.outputs().get(2).print());
        assertEquals(new OutputSpec("outputs[6]", "recent", 0, "/out/recent", null), spec.outputs().get(6));
    }

    @Test
    void jsonIsReadAsWellAsYamlEvenWithTabs() {
        String json = "{\n\t\"sources\": {\"lines\": {\"socket\": \"localhost:9999\"}},\n"
                + "\t\"streams\": {\"words\": {\"from\": \"lines\", \"flatMap\": {\"split\": \"\\\\s+\"}}},\n"
                + "\t\"outputs\": [{\"stream\": \"words\", \"print\": 10}]\n}";
        String yaml = """
                sources: {lines: {socket: "localhost:9999"}}
                streams: {words: {from: lines, flatMap: {split: '\\s+'}}}
                outputs: [{stream: words, print: 10}]
                """;
        PipelineSpec fromJson = new SpecParser().parse(json);
        PipelineSpec fromYaml = new SpecParser().parse(yaml);
        assertEquals(fromYaml.names(), fromJson.names());
        assertEquals("\\s+", ((Operation.Split) fromJson.streams().get(0).operation()).regex().pattern());
        assertEquals("\\s+", ((Operation.Split) fromYaml.streams().get(0).operation()).regex().pattern());
        assertEquals(fromYaml.outputs(), fromJson.outputs());
    }

    @Test
    void streamsMayReadStreamsDefinedFurtherDown() {
        PipelineSpec spec = new SpecParser().parse("""
                sources: {lines: {socket: "h:1"}}
                streams:
                  counts: {from: pairs, reduceByKey: max}
                  pairs: {from: lines, pair: {key: "$1", value: "$2"}}
                outputs: [{stream: counts, print: 10}]
                """);
        assertEquals(StreamType.pairs(ValueType.NUMBER), spec.types().get("counts"));
        assertEquals(List.of("lines", "counts", "pairs"), spec.names());
    }

    @Test
    void constantsMakeKeysAndValues() {
        PipelineSpec spec = new SpecParser().parse("""
                sources: {lines: {socket: "h:1"}}
                streams:
                  p: {from: lines, pair: {key: all, value: 2.5}}
                  q: {from: lines, pair: {key: 7, value: {text: none}}}
                outputs: [{stream: p, print: 1}, {stream: q, print: 1}]
                """);
        Operation.ToPair p = (Operation.ToPair) spec.streams().get(0).operation();
        assertEquals(Extractor.constant("all"), p.key());
        assertEquals(Extractor.constant(2.5), p.value());
        Operation.ToPair q = (Operation.ToPair) spec.streams().get(1).operation();
        assertEquals(Extractor.constant("7"), q.key());
        assertEquals(Extractor.constant("none"), q.value());
        assertEquals(StreamType.pairs(ValueType.TEXT), spec.types().get("q"));
    }

    @Test
    void theSameTextGivesTheSamePipeline() {
        assertEquals(new SpecParser().parse(FULL).names(), new SpecParser().parse(FULL).names());
        assertEquals(new SpecParser().parse(FULL).outputs(), new SpecParser().parse(FULL).outputs());
        assertTrue(new SpecParser().parse(FULL).types().keySet().stream().toList()
                .equals(new SpecParser().parse(FULL).names()));
    }

    private static StreamSpec stream(PipelineSpec spec, String name) {
        return spec.streams().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
