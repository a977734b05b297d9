package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InvocationTest {

    private static Invocation parse(String... argv) {
        return Invocation.parse(argv, Map.of());
    }

    private static String usageError(String... argv) {
        return assertThrows(UsageException.class, () -> parse(argv)).getMessage();
    }

    @Test
    void aCommandWithItsArgumentsAndOptionsInAnyOrder() {
        Invocation i = parse("--json", "submit", "paced-count", "source=dir:/tmp/in", "--wait", "batch=1s",
                "--timeout=90s", "--url", "http://coordinator:8080/");
        assertEquals("submit", i.command());
        assertEquals(List.of("paced-count", "source=dir:/tmp/in", "batch=1s"), i.args());
        assertTrue(i.json());
        assertTrue(i.has("--wait"));
        assertEquals("90s", i.option("--timeout"));
        assertEquals("http://coordinator:8080", i.url(), "without the trailing slash");
        assertFalse(i.help());
    }

    @Test
    void theUrlComesFromTheOptionThenSluiceUrlThenTheHttpPort() {
        assertEquals("http://localhost:8080", Invocation.parse(new String[] {"jobs"}, Map.of()).url());
        assertEquals("http://localhost:8180",
                Invocation.parse(new String[] {"jobs"}, Map.of("SLUICE_HTTP_PORT", "8180")).url());
        assertEquals("https://sluice.example:443/base",
                Invocation.parse(new String[] {"jobs"}, Map.of("SLUICE_URL", "https://sluice.example:443/base/",
                        "SLUICE_HTTP_PORT", "8180")).url());
        assertEquals("http://other:1",
                Invocation.parse(new String[] {"jobs", "--url", "http://other:1"}, Map.of("SLUICE_URL", "http://x:2")).url());
    }

    @Test
    void badUrlsAndPortsAreUsageErrors() {
        assertTrue(usageError("jobs", "--url", "localhost:8080").startsWith("--url must be the coordinator's http://"));
        assertTrue(usageError("jobs", "--url", "ftp://x").startsWith("--url must be"));
        String port = assertThrows(UsageException.class,
                () -> Invocation.parse(new String[] {"jobs"}, Map.of("SLUICE_HTTP_PORT", "80800"))).getMessage();
        assertTrue(port.startsWith("SLUICE_HTTP_PORT must be a port number"), port);
        String env = assertThrows(UsageException.class,
                () -> Invocation.parse(new String[] {"jobs"}, Map.of("SLUICE_URL", "nowhere"))).getMessage();
        assertTrue(env.startsWith("SLUICE_URL must be"), env);
    }

    @Test
    void wrongCommandLinesSayWhatIsWrong() {
        assertEquals("no command given", usageError());
        assertEquals("no command given", usageError("--json"));
        assertEquals("unknown command 'stauts'", usageError("stauts"));
        assertEquals("unknown option '--verbose'", usageError("jobs", "--verbose"));
        assertEquals("--url needs a value", usageError("jobs", "--url"));
        assertEquals("--limit needs a value", usageError("batches", "wc", "--limit", "--json"));
        assertEquals("--wait takes no value", usageError("stop", "wc", "--wait=yes"));
        assertTrue(usageError("jobs", "--limit", "3").startsWith("jobs takes no --limit option; usage: jobs [NAME]"));
        assertTrue(usageError("stop").startsWith("stop needs an argument; usage: stop NAME"));
        assertTrue(usageError("scale", "workers").startsWith("scale needs more arguments; usage: scale POOL N"));
        assertTrue(usageError("stop", "a", "b").startsWith("stop: too many arguments (b)"));
        assertTrue(usageError("workers", "extra").startsWith("workers: too many arguments"));
    }

    @Test
    void helpAnywhereIsHelp() {
        assertTrue(parse("help").help());
        assertNull(parse("help").command());
        assertTrue(parse("submit", "--help").help());
        assertTrue(parse("-h").help());
        assertTrue(parse("stauts", "-h").help(), "help is given even for a misspelled command");
    }

    @Test
    void doubleDashEndsTheOptionsAndNegativeNumbersAreArguments() {
        Invocation i = parse("submit", "wc", "--", "--odd=value");
        assertEquals(List.of("wc", "--odd=value"), i.args());
        assertEquals(List.of("workers", "-1"), parse("scale", "workers", "-1").args());
    }

    @Test
    void theCommandWordIsFoundPastOptionsAndTheirValues() {
        assertEquals("submit", Invocation.commandOf(new String[] {"--url", "http://x:1", "--json", "submit", "wc"}));
        assertEquals("jobs", Invocation.commandOf(new String[] {"--url=http://x:1", "JOBS"}));
        assertNull(Invocation.commandOf(new String[] {"--json"}));
    }

    @Test
    void everyCommandIsKnown() {
        for (String c : List.of("status", "jobs", "submit", "stop", "batches", "workers", "pools", "scale", "receivers",
                "help")) {
            assertEquals(c, Invocation.spec(c).name());
        }
        assertNull(Invocation.spec("start"));
    }
}
