package dev.sluice.engine.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Finds {@link DirectSourceProvider}s on the classpath. */
public final class DirectSources {

    private DirectSources() {
    }

    /**
     * A new source of {@code kind} configured by {@code config}.
     *
     * @param label names the source in errors, e.g. {@code kafkaStream([orders])}
     * @throws IllegalStateException when no provider of {@code kind} is on the classpath
     */
    public static DirectSource create(String kind, Map<String, String> config, String label) {
        return provider(kind, label).create(config);
    }

    /**
     * Has the provider of {@code kind} check {@code config}, if such a provider is on the
     * classpath; connects nowhere. Without one there is nothing to check against: the job can
     * still be defined (a process that only plans, such as a test, needs no provider).
     *
     * @throws IllegalArgumentException when the provider finds the config bad
     */
    public static void validateIfPresent(String kind, Map<String, String> config) {
        for (ClassLoader loader : loaders()) {
            for (DirectSourceProvider p : ServiceLoader.load(DirectSourceProvider.class, loader)) {
                if (p.kind().equals(kind)) {
                    p.validate(config);
                    return;
                }
            }
        }
    }

    /** The provider of {@code kind}. */
    public static DirectSourceProvider provider(String kind, String label) {
        List<String> found = new ArrayList<>();
        for (ClassLoader loader : loaders()) {
            for (DirectSourceProvider p : ServiceLoader.load(DirectSourceProvider.class, loader)) {
                if (p.kind().equals(kind)) {
                    return p;
                }
                found.add(p.kind());
            }
        }
        throw new IllegalStateException(label + ": no source provider of kind '" + kind + "' on the classpath (found "
                + (found.isEmpty() ? "none" : String.join(", ", found)) + ")"
                + ("kafka".equals(kind) ? "; the Kafka source is in sluice-connectors" : ""));
    }

    private static List<ClassLoader> loaders() {
        List<ClassLoader> loaders = new ArrayList<>(2);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            loaders.add(context);
        }
        ClassLoader own = DirectSources.class.getClassLoader();
        if (own != null && own != context) {
            loaders.add(own);
        }
        return loaders;
    }
}
