package dev.sluice.pipeline;

import java.util.List;

/**
 * Which kind of stream each operation takes and makes. Keys are always text, so the only
 * thing that varies between pair streams is what their values are.
 */
final class TypeRules {

    private TypeRules() {
    }

    /**
     * The type of {@code s}'s records, given its inputs' types (in {@link StreamSpec#inputs()} order).
     *
     * @throws PipelineSpecException at the operation (or the offending input) when an input is of the wrong kind
     */
    static StreamType apply(StreamSpec s, List<StreamType> in) {
        Operation op = s.operation();
        String at = s.operationPath();
        StreamType first = in.get(0);
        String source = s.inputs().get(0);
        if (op instanceof Operation.Split || op instanceof Operation.MapText) {
            requireText(at, op.specKey(), source, first);
            return StreamType.TEXT;
        }
        if (op instanceof Operation.Filter f) {
            filter(at, f, source, first);
            return first;
        }
        if (op instanceof Operation.ToPair pair) {
            if (first.kind() != StreamType.Kind.TEXT) {
                throw new PipelineSpecException(at, "pair makes pairs of text records, but '" + source + "' is "
                        + first + (first.isPairs() ? " already" : ""));
            }
            return StreamType.pairs(pair.value().type());
        }
        if (op instanceof Operation.CountByValue) {
            requireText(at, "countByValue", source, first);
            return StreamType.pairs(ValueType.NUMBER);
        }
        if (op instanceof Operation.Count) {
            return StreamType.NUMBER;
        }
        if (op instanceof Operation.ReduceByKey r) {
            return aggregate(at, "reduceByKey", r.aggregate(), source, first);
        }
        if (op instanceof Operation.State st) {
            return aggregate(at, "state", st.aggregate(), source, first);
        }
        if (op instanceof Operation.Join j) {
            requirePairs(at, "join", source, first);
            requirePairs(at, "join", j.other(), in.get(1));
            return StreamType.pairs(ValueType.PAIR);
        }
        if (op instanceof Operation.Union u) {
            for (int i = 1; i < in.size(); i++) {
                if (!in.get(i).equals(first)) {
                    throw new PipelineSpecException(s.inputPath(i), "a union needs streams of one kind, but '"
                            + u.streams().get(i) + "' is " + in.get(i) + " and '" + source + "' is " + first);
                }
            }
            return first;
        }
        // window alone
        return first;
    }

    private static void requireText(String at, String op, String source, StreamType type) {
        if (type.kind() != StreamType.Kind.TEXT) {
            throw new PipelineSpecException(at, op + " needs a text stream, but '" + source + "' is " + type);
        }
    }

    private static void requirePairs(String at, String op, String source, StreamType type) {
        if (!type.isPairs()) {
            throw new PipelineSpecException(at, op + " needs a pair stream, but '" + source + "' is " + type
                    + " (make pairs with pair: {key: ..., value: ...} or countByValue)");
        }
    }

    private static StreamType aggregate(String at, String op, Aggregate a, String source, StreamType type) {
        requirePairs(at, op, source, type);
        if (a.needsNumbers() && type.values() != ValueType.NUMBER) {
            throw new PipelineSpecException(at, op + " " + a.specName() + " needs number values, but '" + source
                    + "' is " + type + " (count takes any values)");
        }
        return StreamType.pairs(ValueType.NUMBER);
    }

    private static void filter(String at, Operation.Filter f, String source, StreamType type) {
        boolean regex = f.regex() != null || f.notRegex() != null;
        boolean bounds = f.atLeast() != null || f.atMost() != null;
        String regexKey = SpecNode.child(at, f.regex() != null ? "regex" : "not-regex");
        String boundKey = SpecNode.child(at, f.atLeast() != null ? "at-least" : "at-most");
        if (regex && type.kind() == StreamType.Kind.NUMBER) {
            throw new PipelineSpecException(regexKey, "a regex filter applies to text records and to the keys of "
                    + "pair streams, but '" + source + "' is " + type);
        }
        if (bounds && !(type.kind() == StreamType.Kind.NUMBER || type.values() == ValueType.NUMBER)) {
            throw new PipelineSpecException(boundKey, "at-least and at-most apply to number streams and to pair "
                    + "streams with number values, but '" + source + "' is " + type);
        }
    }
}
