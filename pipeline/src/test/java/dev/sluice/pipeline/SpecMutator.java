package dev.sluice.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Malformed pipeline specs for fuzz tests, deterministic for a given {@link Random}: a valid
 * spec, as a tree, with one to three mutations (wrong types, deep nesting, huge strings,
 * unknown or missing keys, invalid regexes, bad windows and numbers, unicode junk), written
 * as JSON or YAML, and sometimes damaged as text afterwards (cut, bytes flipped, a range
 * repeated). Shared with the end-to-end fuzz test through this module's test jar.
 */
public final class SpecMutator {

    private static final List<String> NAMES = List.of("lines", "words", "pairs", "counts", "recent", "total",
            "clicks", "pages", "views", "titled", "all");
    private static final List<Object> BAD_REGEXES = List.of("(", "[a-", "*", "a{2,1}", "(?<n>a", "\\", "(?z)",
            "x**", "[\\p{Nope}]", "(a+)+$");
    private static final List<Object> BAD_DURATIONS = List.of("0s", "-5s", "1.5s", "30 seconds", "s", "",
            "99999999999999999999h", "9223372036854775807ms", "9223372036854775h", "1d", "7", "300ms", "1h");
    private static final List<Object> ODD_NUMBERS = List.of(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, Double.MAX_VALUE, Double.POSITIVE_INFINITY,
            -0.0, 2.5, 10001L, 2147483648L, Double.NaN);
    private static final List<Object> ODD_FIELDS = List.of("$", "$-1", "$1001", "$99999999999999999999", "$0x1",
            "$ 1", "$1.5", "$Ø", "{text: $1}");

    private final Random random;

    /** Mutations drawn from {@code random}. */
    public SpecMutator(Random random) {
        this.random = random;
    }

    /** A valid spec with one or more of every kind of source, stream and output the fuzz tests touch. */
    static Map<String, Object> base(int which) {
        return which % 2 == 0 ? map(
                "sources", map("lines", map("arg", "source")),
                "streams", map(
                        "words", map("from", "lines", "flatMap", map("split", "\\s+")),
                        "lower", map("from", "words", "map", List.of("lower", "trim")),
                        "kept", map("from", "lower", "filter", map("regex", "^[a-z]+$", "not-regex", "^the$")),
                        "pairs", map("from", "kept", "pair", map("key", "$0", "value", 1L)),
                        "counts", map("from", "pairs", "reduceByKey", "sum", "partitions", 3L),
                        "recent", map("from", "pairs", "window", map("length", "2s", "slide", "1s"), "reduceByKey", "max"),
                        "total", map("from", "counts", "state", "sum"),
                        "many", map("from", "total", "filter", map("at-least", 3L)),
                        "n", map("from", "words", "count", true)),
                "outputs", List.of(map("stream", "many", "print", 10L), map("stream", "recent", "print", true),
                        map("stream", "n", "print", 1L)))
                : map(
                "sources", map("clicks", map("http", "fuzz-clicks"), "pages", map("http", "fuzz-pages")),
                "streams", map(
                        "views", map("from", "clicks", "pair", map("split", ",", "key", "$2", "value", 1L)),
                        "perPage", map("from", "views", "window", map("length", "4s", "slide", "2s"),
                                "reduceByKey", "sum", "partitions", 4L),
                        "titles", map("from", "pages", "pair", map("split", ",", "key", "$1", "value", map("text", "$2"))),
                        "perBatch", map("from", "views", "reduceByKey", "count"),
                        "titled", map("from", "perBatch", "join", "titles"),
                        "both", map("union", List.of("clicks", "pages")),
                        "distinct", map("from", "both", "countByValue", true, "window", map("length", "2s"))),
                "outputs", List.of(map("stream", "perPage", "print", 5L), map("stream", "titled", "print", 10L),
                        map("stream", "distinct", "print", 3L)));
    }

    /** The next malformed (rarely, still valid) spec text. */
    public String next() {
        Map<String, Object> spec = base(random.nextInt(2));
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            mutate(spec);
        }
        String text = random.nextBoolean() ? Json.write(spec) : Yaml.write(spec);
        return random.nextInt(4) == 0 ? damage(text) : text;
    }

    /** One change somewhere in the tree. */
    @SuppressWarnings("unchecked")
    private void mutate(Map<String, Object> spec) {
        List<Object> containers = new ArrayList<>();
        collect(spec, containers);
        Object target = containers.get(random.nextInt(containers.size()));
        if (target instanceof Map<?, ?> m) {
            Map<String, Object> map = (Map<String, Object>) m;
            List<String> keys = new ArrayList<>(map.keySet());
            switch (random.nextInt(5)) {
                case 0 -> map.put(junkKey(), value());
                case 1 -> {
                    if (!keys.isEmpty()) {
                        map.remove(keys.get(random.nextInt(keys.size())));
                    }
                }
                default -> {
                    if (!keys.isEmpty()) {
                        map.put(keys.get(random.nextInt(keys.size())), value());
                    }
                }
            }
        } else {
            List<Object> list = (List<Object>) target;
            if (list.isEmpty() || random.nextInt(4) == 0) {
                list.add(value());
            } else if (random.nextBoolean()) {
                list.set(random.nextInt(list.size()), value());
            } else {
                list.remove(random.nextInt(list.size()));
            }
        }
    }

    /** Every mapping and list of the tree, made mutable in place. */
    @SuppressWarnings("unchecked")
    private static void collect(Object node, List<Object> into) {
        if (node instanceof Map<?, ?> m) {
            into.add(m);
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                Object v = e.getValue();
                if (v instanceof List<?> l && !(l instanceof ArrayList<?>)) {
                    v = new ArrayList<>(l);
                    e.setValue(v);
                }
                collect(v, into);
            }
        } else if (node instanceof List<?> l) {
            into.add(l);
            List<Object> list = (List<Object>) l;
            for (int i = 0; i < list.size(); i++) {
                collect(list.get(i), into);
            }
        }
    }

    private String junkKey() {
        return switch (random.nextInt(4)) {
            case 0 -> pick(List.of("flatmap", "form", "Streams", "window", "union", "count", "print", "regex", "key"));
            case 1 -> junk(1 + random.nextInt(20));
            case 2 -> "";
            default -> pick(NAMES) + random.nextInt(3);
        };
    }

    /** A value of the wrong kind, or of the right kind and a bad value. */
    private Object value() {
        return switch (random.nextInt(12)) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> pick(ODD_NUMBERS);
            case 3 -> pick(BAD_REGEXES);
            case 4 -> pick(BAD_DURATIONS);
            case 5 -> pick(ODD_FIELDS);
            case 6 -> nested(15 + random.nextInt(15));
            case 7 -> "x".repeat(random.nextBoolean() ? 1_000 + random.nextInt(5_000) : 70_000);
            case 8 -> junk(1 + random.nextInt(40));
            case 9 -> map("length", pick(BAD_DURATIONS), "slide", pick(BAD_DURATIONS));
            case 10 -> new ArrayList<>(List.of(pick(NAMES), pick(NAMES)));
            default -> pick(NAMES);
        };
    }

    /** Lists and mappings {@code depth} levels deep. */
    private Object nested(int depth) {
        Object v = "deep";
        for (int i = 0; i < depth; i++) {
            v = random.nextBoolean() ? new ArrayList<>(List.of(v)) : map("k", v);
        }
        return v;
    }

    /** Text of code points from every plane: controls, NULs, surrogate halves, right-to-left marks, emoji. */
    private String junk(int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(6)) {
                case 0 -> sb.append((char) random.nextInt(0x20));
                case 1 -> sb.append((char) (0xD800 + random.nextInt(0x800)));
                case 2 -> sb.appendCodePoint(0x1F300 + random.nextInt(0x300));
                case 3 -> sb.append(pick(List.of("\u202E", "\uFEFF", "\u2028", "\u0000", "{", "}", "[", ":", "\"", "'",
                        "#", "&a", "*a", "!!binary", "\\u0000", "%", "|", ">")));
                case 4 -> sb.append((char) (0x80 + random.nextInt(0xFF80)));
                default -> sb.append((char) (' ' + random.nextInt(95)));
            }
        }
        return sb.toString();
    }

    /** The text cut short, with a byte changed, or with a range repeated or dropped. */
    private String damage(String text) {
        int at = random.nextInt(text.length());
        return switch (random.nextInt(4)) {
            case 0 -> text.substring(0, at);
            case 1 -> text.substring(0, at) + (char) random.nextInt(0x80) + text.substring(at + 1);
            case 2 -> {
                int end = Math.min(text.length(), at + 1 + random.nextInt(40));
                yield text.substring(0, end) + text.substring(at);
            }
            default -> text.substring(0, at) + text.substring(Math.min(text.length(), at + 1 + random.nextInt(40)));
        };
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** Shortens {@code text} for a failure message: its start and its length, with controls escaped. */
    public static String shortened(String text, int max) {
        String cut = text.length() <= max ? text : text.substring(0, max) + "... (" + text.length() + " chars)";
        StringBuilder sb = new StringBuilder();
        cut.codePoints().forEach(c -> {
            if (c < 0x20 || (c >= 0xD800 && c < 0xE000) || c == 0x2028 || c == 0x202E || c == 0xFEFF) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }

    /** {@code text} as a JSON string, quoted and escaped. */
    public static String quoted(String text) {
        StringBuilder sb = new StringBuilder();
        Json.string(text, sb);
        return sb.toString();
    }

    /** A tree as JSON. */
    static final class Json {
        private Json() {
        }

        static String write(Object node) {
            StringBuilder sb = new StringBuilder();
            write(node, sb);
            return sb.toString();
        }

        private static void write(Object node, StringBuilder sb) {
            if (node instanceof Map<?, ?> m) {
                sb.append('{');
                String sep = "";
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    sb.append(sep);
                    string((String) e.getKey(), sb);
                    sb.append(": ");
                    write(e.getValue(), sb);
                    sep = ", ";
                }
                sb.append('}');
            } else if (node instanceof List<?> l) {
                sb.append('[');
                String sep = "";
                for (Object v : l) {
                    sb.append(sep);
                    write(v, sb);
                    sep = ", ";
                }
                sb.append(']');
            } else if (node instanceof String s) {
                string(s, sb);
            } else {
                // Numbers, booleans, null; NaN and the infinities are not JSON: the parser must say so.
                sb.append(node);
            }
        }

        static void string(String s, StringBuilder sb) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20 || (c >= 0xD800 && c < 0xE000)) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            sb.append('"');
        }
    }

    /** A tree as block-style YAML, scalars in double quotes (their escapes are JSON's). */
    static final class Yaml {
        private Yaml() {
        }

        static String write(Object node) {
            StringBuilder sb = new StringBuilder("# fuzz\n");
            block(node, "", sb);
            return sb.toString();
        }

        private static void block(Object node, String indent, StringBuilder sb) {
            if (node instanceof Map<?, ?> m && !m.isEmpty()) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    sb.append(indent);
                    Json.string((String) e.getKey(), sb);
                    sb.append(':');
                    child(e.getValue(), indent, sb);
                }
            } else if (node instanceof List<?> l && !l.isEmpty()) {
                for (Object v : l) {
                    sb.append(indent).append('-');
                    child(v, indent, sb);
                }
            } else {
                sb.append(indent).append(Json.write(node)).append('\n');
            }
        }

        private static void child(Object v, String indent, StringBuilder sb) {
            if ((v instanceof Map<?, ?> m && !m.isEmpty()) || (v instanceof List<?> l && !l.isEmpty())) {
                sb.append('\n');
                block(v, indent + "  ", sb);
            } else {
                sb.append(' ').append(v instanceof String || v instanceof Map || v instanceof List ? Json.write(v)
                        : String.valueOf(v)).append('\n');
            }
        }
    }
}
