package dev.sluice.connectors.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Ports and directories for the throwaway servers the tests start. */
final class Scratch {

    private Scratch() {
    }

    /** A port free on the loopback address now. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback address", e);
        }
    }

    /** A new temporary directory for {@code what}. */
    static Path directory(String prefix, String what) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for " + what, e);
        }
    }

    /** Deletes {@code dir} and everything in it, as far as it can: it is only a temporary directory. */
    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Leftovers in the temporary directory are harmless.
        }
    }
}
