package dev.sluice.connectors.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresBinariesTest {

    @Test
    void aDirectoryWithoutTheServerProgramsIsNotUsable(@TempDir Path empty) {
        assertTrue(PostgresBinaries.firstUsable(List.of(empty, empty.resolve("missing"))).isEmpty());
    }

    @Test
    void theInstalledServerIsFound() {
        // Fails (not skips) on a machine without PostgreSQL, with the message below.
        Path bin = PostgresBinaries.locate();
        assertEquals(bin, PostgresBinaries.firstUsable(List.of(bin)).orElseThrow());
    }

    @Test
    void missingProgramsSayHowToInstallThem() {
        String message = PostgresBinaries.notFound(List.of(Path.of("/nowhere"))).getMessage();
        assertTrue(message.contains("apt-get install -y postgresql"), message);
        assertTrue(message.contains("/nowhere"), message);
    }
}
