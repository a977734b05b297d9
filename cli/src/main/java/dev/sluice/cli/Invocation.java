package dev.sluice.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A parsed command line: the command, its positional arguments and options, and the
 * global options (the coordinator's URL, --json). Options may come before or after the
 * command, as {@code --name value} or {@code --name=value}; {@code --} ends them.
 *
 * @param command the command, null when only help was asked for
 * @param args    its positional arguments
 * @param options its options by name ({@code --limit} → {@code "20"}; flags → {@code ""})
 * @param url     the coordinator's base URL, without a trailing slash
 * @param json    whether to print the API's JSON instead of tables
 * @param help    whether help was asked for
 */
record Invocation(String command, List<String> args, Map<String, String> options, String url, boolean json,
                  boolean help) {

    /** What a command takes. */
    record Spec(String name, int minArgs, int maxArgs, Set<String> options, String synopsis) {
    }

    static final List<Spec> COMMANDS = List.of(
            new Spec("status", 0, 0, Set.of(), "status"),
            new Spec("jobs", 0, 1, Set.of(), "jobs [NAME]"),
            new Spec("submit", 1, Integer.MAX_VALUE, Set.of("--spec-file", "--wait", "--timeout"),
                    "submit NAME [KEY=VALUE ...] [--spec-file FILE] [--wait] [--timeout D]"),
            new Spec("stop", 1, 1, Set.of("--wait", "--timeout"), "stop NAME [--wait] [--timeout D]"),
            new Spec("batches", 1, 2, Set.of("--limit", "--before"),
                    "batches NAME [--limit N] [--before TIME]   or   batches NAME TIME"),
            new Spec("workers", 0, 0, Set.of(), "workers"),
            new Spec("pools", 0, 0, Set.of(), "pools"),
            new Spec("scale", 2, 2, Set.of(), "scale POOL N"),
            new Spec("receivers", 0, 0, Set.of(), "receivers"),
            new Spec("help", 0, 1, Set.of(), "help"));

    /** Options that take a value; every other option is a flag. */
    private static final Set<String> VALUED = Set.of("--url", "--spec-file", "--limit", "--before", "--timeout");
    private static final Set<String> FLAGS = Set.of("--json", "--wait", "--help", "-h");
    private static final int DEFAULT_PORT = 8080;

    /** The spec of {@code command}, or null. */
    static Spec spec(String command) {
        return COMMANDS.stream().filter(s -> s.name().equals(command)).findFirst().orElse(null);
    }

    /**
     * Parses {@code argv}.
     *
     * @param env the environment: SLUICE_URL, SLUICE_HTTP_PORT
     * @throws UsageException when it is not a command line this CLI takes
     */
    static Invocation parse(String[] argv, Map<String, String> env) {
        String command = null;
        List<String> args = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        boolean optionsEnded = false;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (optionsEnded || !a.startsWith("-") || a.equals("-") || a.matches("-\\d+")) {
                if (command == null) {
                    command = a.toLowerCase(Locale.ROOT);
                } else {
                    args.add(a);
                }
                continue;
            }
            if (a.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 >= argv.length || argv[i + 1].startsWith("--")) {
                        throw new UsageException(name + " needs a value");
                    }
                    value = argv[++i];
                }
            } else if (FLAGS.contains(name)) {
                if (value != null) {
                    throw new UsageException(name + " takes no value");
                }
                value = "";
            } else {
                throw new UsageException("unknown option '" + a + "'");
            }
            options.put(name, value);
        }

        boolean help = options.remove("--help") != null | options.remove("-h") != null;
        boolean json = options.remove("--json") != null;
        String urlOption = options.remove("--url");
        if ("help".equals(command)) {
            return new Invocation(null, List.of(), Map.of(), null, json, true);
        }
        if (help) {
            return new Invocation(command, List.of(), Map.of(), null, json, true);
        }
        if (command == null) {
            throw new UsageException("no command given");
        }
        Spec spec = spec(command);
        if (spec == null) {
            throw new UsageException("unknown command '" + command + "'");
        }
        for (String name : options.keySet()) {
            if (!spec.options().contains(name)) {
                throw new UsageException(command + " takes no " + name + " option; usage: " + spec.synopsis());
            }
        }
        if (args.size() < spec.minArgs()) {
            throw new UsageException(command + " needs " + (spec.minArgs() - args.size() == 1 && spec.minArgs() == 1
                    ? "an argument" : "more arguments") + "; usage: " + spec.synopsis());
        }
        if (args.size() > spec.maxArgs()) {
            throw new UsageException(command + ": too many arguments (" + String.join(" ", args.subList(spec.maxArgs(),
                    args.size())) + "); usage: " + spec.synopsis());
        }
        return new Invocation(command, List.copyOf(args), Map.copyOf(options), baseUrl(urlOption, env), json, false);
    }

    /** The command word of {@code argv} as {@link #parse} finds it (skipping options and their values), or null. */
    static String commandOf(String[] argv) {
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--")) {
                return i + 1 < argv.length ? argv[i + 1].toLowerCase(Locale.ROOT) : null;
            }
            if (!a.startsWith("-") || a.equals("-") || a.matches("-\\d+")) {
                return a.toLowerCase(Locale.ROOT);
            }
            if (VALUED.contains(a)) {
                i++;
            }
        }
        return null;
    }

    /** The coordinator's URL: --url, else SLUICE_URL, else localhost at SLUICE_HTTP_PORT or 8080. */
    static String baseUrl(String option, Map<String, String> env) {
        if (option != null) {
            return checkUrl(option, "--url");
        }
        String fromEnv = env.get("SLUICE_URL");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return checkUrl(fromEnv.trim(), "SLUICE_URL");
        }
        String port = env.get("SLUICE_HTTP_PORT");
        if (port == null || port.isBlank()) {
            return "http://localhost:" + DEFAULT_PORT;
        }
        if (!port.trim().matches("\\d{1,5}") || Integer.parseInt(port.trim()) < 1 || Integer.parseInt(port.trim()) > 65535) {
            throw new UsageException("SLUICE_HTTP_PORT must be a port number from 1 to 65535, not '" + port + "'");
        }
        return "http://localhost:" + Integer.parseInt(port.trim());
    }

    private static String checkUrl(String url, String what) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        try {
            URI uri = new URI(u);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getQuery() == null
                    && uri.getFragment() == null) {
                return u;
            }
        } catch (URISyntaxException e) {
            // falls through
        }
        throw new UsageException(what + " must be the coordinator's http:// or https:// URL, such as "
                + "http://localhost:8080, not '" + url + "'");
    }

    boolean has(String option) {
        return options.containsKey(option);
    }

    String option(String name) {
        return options.get(name);
    }
}
