package dev.sluice.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the three apps serve and read, taken from their sources in the checkout: the ports of
 * their application.properties, and the configuration properties they read (the keys of
 * application.properties, commented-out ones included, the {@code @ConfigMapping} interfaces
 * and the {@code @ConfigProperty} injections).
 */
enum Apps {
    COORDINATOR("coordinator"),
    WORKER("stage-worker"),
    RECEIVER("receiver");

    final String module;
    private Properties properties;
    private Set<String> configNames;

    Apps(String module) {
        this.module = module;
    }

    /** The role of a chart object's app.kubernetes.io/component label. */
    static Apps ofComponent(String component) {
        return switch (component) {
            case "coordinator" -> COORDINATOR;
            case "worker" -> WORKER;
            case "receiver" -> RECEIVER;
            default -> throw new AssertionError("no app for component " + component);
        };
    }

    Path dir() {
        return Tools.repo().resolve(module);
    }

    /** The app's src/main/resources/application.properties. */
    synchronized Properties properties() {
        if (properties == null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(dir().resolve("src/main/resources/application.properties"),
                    StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            properties = p;
        }
        return properties;
    }

    private int port(String key) {
        String value = properties().getProperty(key);
        if (value == null) {
            throw new AssertionError(module + "/src/main/resources/application.properties has no " + key);
        }
        return Integer.parseInt(value.trim());
    }

    /** quarkus.http.port: REST, health, metrics. */
    int httpPort() {
        return port("quarkus.http.port");
    }

    /** quarkus.grpc.server.port. */
    int grpcPort() {
        return port("quarkus.grpc.server.port");
    }

    /**
     * The sluice.* properties the app reads. A map property is given as "name.*" (e.g.
     * {@code sluice.job.args.*}).
     */
    synchronized Set<String> configNames() {
        if (configNames == null) {
            Set<String> names = new TreeSet<>();
            try {
                for (String line : Files.readAllLines(dir().resolve("src/main/resources/application.properties"))) {
                    Matcher m = Pattern.compile("^\\s*#?\\s*(sluice\\.[A-Za-z0-9.-]+)\\s*=").matcher(line);
                    if (m.find()) {
                        names.add(m.group(1));
                    }
                }
                try (Stream<Path> files = Files.walk(dir().resolve("src/main/java"))) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        String source = withoutComments(Files.readString(file));
                        names.addAll(configMappingNames(source));
                        Matcher m = Pattern.compile("@ConfigProperty\\s*\\(\\s*name\\s*=\\s*\"(sluice\\.[^\"]+)\"").matcher(source);
                        while (m.find()) {
                            names.add(m.group(1));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            configNames = names;
        }
        return configNames;
    }

    /** Whether the app reads a property (exactly, or as a key of a map property). */
    boolean reads(String property) {
        for (String name : configNames()) {
            if (name.equals(property) || name.endsWith(".*") && property.startsWith(name.substring(0, name.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The property an environment variable sets, if the app reads one by that env name
     * (SmallRye's rule: upper case, every character other than a letter or digit as "_").
     */
    String propertyOfEnv(String env) {
        for (String name : configNames()) {
            if (name.endsWith(".*")) {
                String prefix = envForm(name.substring(0, name.length() - 1));
                if (env.startsWith(prefix) && env.length() > prefix.length()) {
                    return name;
                }
            } else if (envForm(name).equals(env)) {
                return name;
            }
        }
        return null;
    }

    static String envForm(String property) {
        return property.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static String withoutComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    }

    private static final Pattern INTERFACE = Pattern.compile("interface\\s+(\\w+)[^{]*\\{");
    private static final Pattern METHOD = Pattern.compile(
            "((?:@\\w+(?:\\s*\\([^)]*\\))?\\s*)*)([\\w.]+(?:<[^;()]*>)?)\\s+(\\w+)\\s*\\(\\s*\\)\\s*;");

    /** The properties of the {@code @ConfigMapping} interfaces in one source file. */
    static List<String> configMappingNames(String source) {
        Matcher root = Pattern.compile("@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"\\s*\\)\\s*public\\s+interface\\s+(\\w+)")
                .matcher(source);
        if (!root.find()) {
            return List.of();
        }
        Map<String, String> bodies = new LinkedHashMap<>();
        Matcher m = INTERFACE.matcher(source);
        while (m.find()) {
            bodies.put(m.group(1), ownBody(source, m.end()));
        }
        List<String> names = new ArrayList<>();
        expand(root.group(1), root.group(2), bodies, names);
        return names;
    }

    private static void expand(String prefix, String iface, Map<String, String> bodies, List<String> out) {
        Matcher m = METHOD.matcher(bodies.get(iface));
        while (m.find()) {
            Matcher rename = Pattern.compile("@WithName\\s*\\(\\s*\"([^\"]+)\"").matcher(m.group(1));
            String name = prefix + "." + (rename.find() ? rename.group(1) : kebab(m.group(3)));
            String type = m.group(2);
            String inner = type.replaceAll("^(Optional|List|Set)<(.*)>$", "$2");
            if (type.startsWith("Map<")) {
                out.add(name + ".*");
            } else if (bodies.containsKey(inner)) {
                expand(name, inner, bodies, out);
            } else {
                out.add(name);
            }
        }
    }

    /** The text of an interface body from just after its "{", less the bodies nested in it. */
    private static String ownBody(String source, int from) {
        StringBuilder own = new StringBuilder();
        int depth = 1;
        for (int i = from; i < source.length() && depth > 0; i++) {
            char c = source.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (depth == 1) {
                own.append(c);
            }
        }
        return own.toString();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
