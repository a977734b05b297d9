package dev.sluice.connectors.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Finds the directory holding PostgreSQL's server programs (initdb, pg_ctl, postgres). */
final class PostgresBinaries {

    /** Overrides the search, for a PostgreSQL installed somewhere unusual. */
    static final String BINDIR_VARIABLE = "SLUICE_PG_BINDIR";

    private static final List<String> PROGRAMS = List.of("initdb", "pg_ctl", "postgres");

    private PostgresBinaries() {
    }

    /**
     * The first usable directory of: {@code $SLUICE_PG_BINDIR}, {@code pg_config --bindir},
     * {@code /usr/lib/postgresql/<version>/bin} (newest version first), and the directory that
     * {@code initdb} on the PATH really lives in.
     *
     * @throws IllegalStateException saying how to install PostgreSQL, if none is usable; tests
     *                               must fail then, not skip, or a missing database would pass CI
     */
    static Path locate() {
        List<Path> candidates = candidates();
        return firstUsable(candidates).orElseThrow(() -> notFound(candidates));
    }

    /** The error for when no candidate directory holds the server programs. */
    static IllegalStateException notFound(List<Path> searched) {
        return new IllegalStateException("PostgreSQL server programs (" + String.join(", ", PROGRAMS)
                + ") not found; looked in " + searched + ". The JDBC sink tests need a real PostgreSQL: install it with"
                + " `apt-get install -y postgresql` (or run scripts/install-postgres.sh), or point "
                + BINDIR_VARIABLE + " at its bin directory.");
    }

    /** The first of {@code candidates} that holds all of initdb, pg_ctl and postgres. */
    static Optional<Path> firstUsable(List<Path> candidates) {
        return candidates.stream()
                .filter(dir -> PROGRAMS.stream().allMatch(p -> Files.isExecutable(dir.resolve(p))))
                .findFirst();
    }

    private static List<Path> candidates() {
        Set<Path> dirs = new LinkedHashSet<>();
        String override = System.getenv(BINDIR_VARIABLE);
        if (override != null && !override.isBlank()) {
            dirs.add(Path.of(override));
        }
        pgConfigBindir().ifPresent(dirs::add);
        dirs.addAll(debianBindirs());
        initdbOnPath().ifPresent(dirs::add);
        return new ArrayList<>(dirs);
    }

    private static Optional<Path> pgConfigBindir() {
        // pg_config may come from libpq-dev alone and name a directory without the server; firstUsable checks.
        try {
            OsCommand.Result r = OsCommand.run(List.of("pg_config", "--bindir"), java.time.Duration.ofSeconds(10));
            return r.ok() ? Optional.of(Path.of(r.output().trim())) : Optional.empty();
        } catch (IllegalStateException notInstalled) {
            return Optional.empty();
        }
    }

    private static List<Path> debianBindirs() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .sorted(Comparator.comparingDouble((Path v) -> Double.parseDouble(v.getFileName().toString())).reversed())
                    .map(v -> v.resolve("bin"))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Optional<Path> initdbOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(java.io.File.pathSeparator)) {
            Path initdb = Path.of(entry).resolve("initdb");
            if (Files.isExecutable(initdb)) {
                try {
                    // /usr/local/bin/initdb may be a symlink; pg_ctl and postgres sit next to the real file.
                    return Optional.of(initdb.toRealPath().getParent());
                } catch (IOException e) {
                    return Optional.of(Path.of(entry));
                }
            }
        }
        return Optional.empty();
    }
}
