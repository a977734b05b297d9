package dev.sluice.connectors.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a program and collects its output, with a timeout; optionally as another user. */
final class OsCommand {

    /** A finished program's exit code and its standard output and error, interleaved. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private OsCommand() {
    }

    /**
     * Runs {@code command} and waits for it.
     *
     * @throws IllegalStateException if the program cannot be started or does not finish in time
     */
    static Result run(List<String> command, Duration timeout) {
        Path output = null;
        try {
            // Output goes to a file, not a pipe: pg_ctl starts a server that outlives it, and a
            // pipe that a stray child keeps open would block reading forever.
            output = Files.createTempFile("sluice-cmd-", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + timeout + ": " + Files.readString(output));
            }
            return new Result(p.exitValue(), Files.readString(output));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }

    /** Runs {@code command} and fails with its output unless it exits with 0. */
    static String check(List<String> command, Duration timeout) {
        Result r = run(command, timeout);
        if (!r.ok()) {
            throw new IllegalStateException(command + " exited with " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }

    /**
     * {@code command} run as {@code user}, or as it is when {@code user} is {@code null}: with
     * {@code runuser} where it exists (util-linux, for root, no password or terminal needed),
     * otherwise with {@code su -s /bin/sh}, since a system user's login shell may be nologin.
     */
    static List<String> as(String user, List<String> command) {
        if (user == null) {
            return command;
        }
        List<String> wrapped = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser"))) {
            wrapped.addAll(List.of("runuser", "-u", user, "--"));
            wrapped.addAll(command);
        } else {
            wrapped.addAll(List.of("su", user, "-s", "/bin/sh", "-c", shellQuote(command)));
        }
        return wrapped;
    }

    private static String shellQuote(List<String> command) {
        List<String> quoted = new ArrayList<>(command.size());
        for (String arg : command) {
            quoted.add("'" + arg.replace("'", "'\\''") + "'");
        }
        return String.join(" ", quoted);
    }
}
