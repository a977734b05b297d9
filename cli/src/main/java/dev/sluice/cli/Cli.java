package dev.sluice.cli;

import java.io.PrintStream;
import java.time.ZoneId;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The sluice command line: parses the arguments, runs the command against the
 * coordinator's REST API and turns what happened into an exit code.
 *
 * <p>Exit codes: {@value #OK} done, {@value #API_ERROR} the API answered an error (or a wait
 * failed or timed out), {@value #USAGE} the command line is wrong, {@value #UNREACHABLE} the
 * coordinator cannot be reached.
 */
final class Cli {

    static final int OK = 0;
    static final int API_ERROR = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;

    /** What every message to standard error starts with. */
    static final String PREFIX = "sluice: ";

    /** Waits between polls, as {@link Thread#sleep(long)}. */
    interface Sleeper {
        void sleep(long ms) throws InterruptedException;
    }

    /**
     * Where the CLI runs.
     *
     * @param env         the environment variables (SLUICE_URL, SLUICE_HTTP_PORT, SLUICE_TOKEN, SLUICE_CA)
     * @param out         where results go
     * @param err         where errors and progress go
     * @param zone        the time zone times are shown in
     * @param interactive whether standard error is a terminal (progress is redrawn in place)
     * @param pollMs      how often a wait asks the coordinator
     * @param clock       wall-clock milliseconds
     * @param sleeper     how a wait pauses
     * @param program     how the user runs the CLI, for messages ("sluice", "./sluice")
     */
    record Context(Map<String, String> env, PrintStream out, PrintStream err, ZoneId zone, boolean interactive,
                   long pollMs, LongSupplier clock, Sleeper sleeper, String program) {
    }

    private final Context context;

    Cli(Context context) {
        this.context = context;
    }

    /** Runs the command line {@code argv}; returns the exit code. */
    int run(String[] argv) {
        PrintStream err = context.err();
        String program = context.program();
        Invocation invocation;
        try {
            invocation = Invocation.parse(argv, context.env());
        } catch (UsageException e) {
            err.println(PREFIX + e.getMessage());
            String command = Invocation.commandOf(argv);
            boolean knownCommand = command != null && Invocation.spec(command) != null;
            if (knownCommand) {
                err.println("Run '" + program + " help' for every command and option.");
            } else {
                err.println();
                err.print(Usage.text(program));
            }
            return USAGE;
        }
        if (invocation.help()) {
            context.out().print(Usage.text(program));
            return OK;
        }
        try {
            new Commands(context, invocation, new Api(invocation.url(), context.env().get("SLUICE_TOKEN"), context.env().get("SLUICE_CA"))).run();
            return OK;
        } catch (UsageException e) {
            err.println(PREFIX + e.getMessage());
            err.println("Run '" + program + " help' for every command and option.");
            return USAGE;
        } catch (ApiException e) {
            String hint = "";
            String token = context.env().get("SLUICE_TOKEN");
            if ((e.status() == 401 || e.status() == 403) && (token == null || token.isBlank())) {
                hint = " (no API token was sent: set SLUICE_TOKEN)";
            }
            err.println(PREFIX + e.getMessage() + hint);
            return API_ERROR;
        } catch (Failure e) {
            err.println(PREFIX + e.getMessage());
            return API_ERROR;
        } catch (Unreachable e) {
            err.println(PREFIX + e.getMessage() + ".");
            err.println("Is a coordinator running there? Start a local one with ./sluice start, or point at "
                    + "another with --url URL or SLUICE_URL.");
            return UNREACHABLE;
        } finally {
            context.out().flush();
            err.flush();
        }
    }
}
