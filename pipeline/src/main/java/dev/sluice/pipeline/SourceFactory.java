package dev.sluice.pipeline;

import dev.sluice.api.DStream;
import dev.sluice.api.JobArgs;
import dev.sluice.api.KafkaRecord;
import dev.sluice.api.StreamingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Declares a spec's sources on the context, as the {@code wordcount} example does: every
 * source is a stream of text lines.
 */
final class SourceFactory {

    private static final String ARG_FORMS = "socket://host:port, dir:/path, http:<path> or kafka:<servers>/<topic>, "
            + "or several separated by commas";

    private SourceFactory() {
    }

    static DStream<String> create(StreamingContext ctx, SourceSpec source, JobArgs args) {
        String at = SpecNode.child(source.path(), kind(source));
        try {
            if (source instanceof SourceSpec.Socket s) {
                return ctx.socketTextStream(s.host(), s.port());
            }
            if (source instanceof SourceSpec.Dir d) {
                return ctx.textFileStream(d.directory());
            }
            if (source instanceof SourceSpec.Http h) {
                return ctx.httpStream(h.ingestPath());
            }
            if (source instanceof SourceSpec.Kafka k) {
                return kafka(ctx, k.servers(), k.topics(), k.options());
            }
            return fromArgument(ctx, (SourceSpec.Arg) source, at, args);
        } catch (PipelineSpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new PipelineSpecException(at, e.getMessage());
        }
    }

    private static String kind(SourceSpec source) {
        if (source instanceof SourceSpec.Socket) {
            return "socket";
        }
        if (source instanceof SourceSpec.Dir) {
            return "dir";
        }
        if (source instanceof SourceSpec.Http) {
            return "http";
        }
        return source instanceof SourceSpec.Kafka ? "kafka" : "arg";
    }

    /**
     * The values of the topics' records. Unless the options say otherwise, a new consumer group
     * starts from the earliest offset, as the wordcount example's does, and the group is named
     * after the topics. Records without a value (tombstones) are skipped: a text stream has no
     * missing lines.
     */
    private static DStream<String> kafka(StreamingContext ctx, String servers, List<String> topics,
                                         Map<String, String> options) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("startingOffsets", "earliest");
        all.put("group.id", "pipeline-" + String.join(",", topics));
        all.putAll(options);
        return ctx.kafkaStream(servers, topics, all)
                .flatMap((KafkaRecord r) -> r.value() == null ? List.<String>of() : List.of(r.value()));
    }

    private static DStream<String> fromArgument(StreamingContext ctx, SourceSpec.Arg source, String at, JobArgs args) {
        String value = args.get(source.argument());
        if (value == null || value.isBlank()) {
            throw new PipelineSpecException(at, "the job argument '" + source.argument()
                    + "' is not set: it must give this source, as " + ARG_FORMS);
        }
        DStream<String> all = null;
        for (String part : value.split(",")) {
            DStream<String> one = fromUri(ctx, part.trim(), source.argument(), at);
            all = all == null ? one : all.union(one);
        }
        return all;
    }

    private static DStream<String> fromUri(StreamingContext ctx, String uri, String argument, String at) {
        String bad = "the job argument '" + argument + "' has '" + SpecNode.abbreviate(uri) + "', expected " + ARG_FORMS;
        if (uri.startsWith("socket://")) {
            String hostPort = uri.substring("socket://".length());
            int colon = hostPort.lastIndexOf(':');
            try {
                int port = colon > 0 ? Integer.parseInt(hostPort.substring(colon + 1)) : -1;
                if (port >= 1 && port <= 65535) {
                    return ctx.socketTextStream(hostPort.substring(0, colon), port);
                }
            } catch (NumberFormatException e) {
                // Reported below.
            }
            throw new PipelineSpecException(at, bad);
        }
        if (uri.startsWith("dir:") && uri.length() > "dir:".length()) {
            return ctx.textFileStream(uri.substring("dir:".length()));
        }
        if (uri.startsWith("http:") && uri.length() > "http:".length()) {
            return ctx.httpStream(uri.substring("http:".length()));
        }
        if (uri.startsWith("kafka:")) {
            String rest = uri.substring("kafka:".length());
            int slash = rest.lastIndexOf('/');
            if (slash > 0 && slash < rest.length() - 1) {
                return kafka(ctx, rest.substring(0, slash), List.of(rest.substring(slash + 1)), Map.of());
            }
        }
        throw new PipelineSpecException(at, bad);
    }
}
