package dev.sluice.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and peak memory of local processes, read from {@code /proc}. */
public final class ProcessStats {

    /** Linux's clock ticks per second for {@code /proc/<pid>/stat} times (USER_HZ). */
    private static final long TICKS_PER_SECOND = 100;

    /** A process of a contender. */
    record Proc(String role, long pid) {
    }

    private ProcessStats() {
    }

    /** User plus system CPU time used so far, in milliseconds; 0 once the process is gone. */
    public static long cpuMs(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces; the fields after its ')' are fixed.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The peak resident set size so far (VmHWM), in MiB; 0 once the process is gone. */
    static long peakRssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }
}
