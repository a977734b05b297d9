package dev.sluice.cli;

import java.lang.reflect.Method;
import java.time.ZoneId;

/** {@code java -jar sluice-cli.jar COMMAND ...}: see {@link Usage}. */
public final class Main {

    private static final long POLL_MS = 500;

    private Main() {
    }

    public static void main(String[] args) {
        String program = System.getProperty("sluice.program", "sluice");
        Cli.Context context = new Cli.Context(System.getenv(), System.out, System.err, ZoneId.systemDefault(),
                interactive(), POLL_MS, System::currentTimeMillis, Thread::sleep, program);
        System.exit(new Cli(context).run(args));
    }

    /** Whether the CLI runs on a terminal (Java 22+ says so for every console; before, a console means one). */
    private static boolean interactive() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
