package dev.sluice.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The repository checkout and the helm and kubectl binaries the tests run.
 *
 * <p>The binaries are looked for where {@code scripts/install-k8s-tools.sh} puts them
 * ({@code $HOME/.local/bin}), then on the PATH. A missing one fails the test with a message
 * that names the script.
 */
final class Tools {

    private static final String INSTALL_HINT = "run `bash scripts/install-k8s-tools.sh` (it installs helm and kubectl into ~/.local/bin)";

    private Tools() {
    }

    /** The root of the checkout (set by the module's surefire configuration). */
    static Path repo() {
        String root = System.getProperty("sluice.repo.root");
        Path path = root != null ? Paths.get(root) : Paths.get("..");
        path = path.toAbsolutePath().normalize();
        if (!Files.isDirectory(path.resolve("helm/sluice"))) {
            throw new IllegalStateException("not the Sluice checkout (no helm/sluice): " + path);
        }
        return path;
    }

    static Path chart() {
        return repo().resolve("helm/sluice");
    }

    static Path helm() {
        return find("helm");
    }

    static Path kubectl() {
        return find("kubectl");
    }

    private static Path find(String tool) {
        List<Path> candidates = new ArrayList<>();
        candidates.add(Paths.get(System.getProperty("user.home"), ".local", "bin", tool));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Paths.get(dir, tool));
                }
            }
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(tool + " not found in ~/.local/bin or on the PATH: " + INSTALL_HINT);
    }

    /** What a command did. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {

        boolean ok() {
            return exitCode == 0;
        }

        /** Fails unless the command exited 0, with its error output. */
        Result orFail() {
            if (!ok()) {
                throw new AssertionError(String.join(" ", command) + " exited " + exitCode + ":\n" + stderr + stdout);
            }
            return this;
        }
    }

    /** Runs a command in the repository root, without input, for at most two minutes. */
    static Result run(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(repo().toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
            }
            return new Result(List.copyOf(command), p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code helm template <release> helm/sluice --namespace <namespace> <extra...>}. */
    static Result helmTemplate(String release, String namespace, String... extra) {
        List<String> command = new ArrayList<>(List.of(helm().toString(), "template", release, chart().toString(),
                "--namespace", namespace));
        command.addAll(List.of(extra));
        return run(command);
    }

    /** A values file of this module's test resources. */
    static Path testValues(String name) {
        Path path = repo().resolve("deploy-tests/src/test/resources").resolve(name);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("missing test values file " + path);
        }
        return path;
    }
}
