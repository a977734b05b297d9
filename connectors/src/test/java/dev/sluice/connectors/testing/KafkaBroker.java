package dev.sluice.connectors.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real, throwaway Kafka broker for tests: one KRaft node that is broker and controller at
 * once, run as a separate JVM from the Kafka server jars on this JVM's test classpath
 * ({@code org.apache.kafka:kafka_2.13} and its dependencies, test-scoped in sluice-connectors).
 * It listens on free ports of 127.0.0.1 (PLAINTEXT for clients, CONTROLLER for the quorum),
 * keeps its logs in a temporary directory, and has replication factor 1 and min ISR 1 for the
 * offsets and transaction topics, so groups and transactions work on one node. Topics are
 * not created automatically: {@link #createTopic}.
 *
 * <p>{@link #start} formats the storage ({@code kafka.tools.StorageTool format --standalone})
 * and runs {@code kafka.Kafka}, then waits until an admin client can describe the cluster
 * (about 5 s). {@link #close} stops the process (SIGTERM, then SIGKILL after 15 s) and
 * deletes the directory; a shutdown hook does the same if a test run dies first. The broker's
 * log is {@link #logFile()}; start failures include its tail.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final int START_ATTEMPTS = 3;

    private final Path baseDir;
    private final Map<String, String> overrides;
    private final Thread shutdownHook = new Thread(this::stopAndDelete, "kafka-broker-cleanup");
    private Process process;
    private int port;
    private Admin admin;
    private boolean stopped;

    private KafkaBroker(Path baseDir, Map<String, String> overrides) {
        this.baseDir = baseDir;
        this.overrides = Map.copyOf(overrides);
    }

    /** Starts a broker with the default settings. */
    public static KafkaBroker start() {
        return start(Map.of());
    }

    /** Starts a broker whose server properties are the defaults with {@code overrides} applied. */
    public static KafkaBroker start(Map<String, String> overrides) {
        KafkaBroker broker = new KafkaBroker(Scratch.directory("sluice-kafka-", "the Kafka broker"), overrides);
        Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
        try {
            broker.startOnFreePorts();
            return broker;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** {@code 127.0.0.1:port} of the PLAINTEXT listener. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The broker's log file. */
    public Path logFile() {
        return baseDir.resolve("broker.log");
    }

    /** An admin client of this broker, kept and closed by the broker. */
    public synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        }
        return admin;
    }

    /** Creates {@code topic} with {@code partitions} partitions and waits until it exists. */
    public void createTopic(String topic, int partitions) {
        try {
            admin().createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Writes records to one partition of {@code topic}, in order, and waits until they are
     * written: each element is a {@code {key, value}} pair (the key may be {@code null}).
     */
    public void produce(String topic, int partition, List<String[]> keyValues) {
        Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            for (String[] kv : keyValues) {
                producer.send(new ProducerRecord<>(topic, partition, kv[0], kv[1]));
            }
            producer.flush();
        }
    }

    private void startOnFreePorts() {
        for (int attempt = 1; ; attempt++) {
            port = Scratch.freePort();
            int controllerPort = Scratch.freePort();
            try {
                Path config = writeConfig(controllerPort);
                format(config);
                launch(config);
                awaitReady();
                return;
            } catch (RuntimeException e) {
                stopProcess();
                boolean portTaken = Files.exists(logFile()) && logTail().contains("Address already in use");
                if (attempt == START_ATTEMPTS || !portTaken) {
                    throw e;
                }
                Scratch.delete(baseDir.resolve("data"));
            }
        }
    }

    private Path writeConfig(int controllerPort) {
        Map<String, String> props = new LinkedHashMap<>();
        String broker = "PLAINTEXT://127.0.0.1:" + port;
        String controller = "CONTROLLER://127.0.0.1:" + controllerPort;
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        props.put("listeners", broker + "," + controller);
        props.put("advertised.listeners", broker + "," + controller);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        props.put("log.dirs", baseDir.resolve("data").toString());
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("auto.create.topics.enable", "false");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.putAll(overrides);
        String text = props.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
        String log4j = String.join("\n",
                "status = warn",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = " + logFile(),
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = file",
                "logger.kafka.name = org.apache.kafka",
                "logger.kafka.level = INFO",
                "");
        try {
            Path config = baseDir.resolve("server.properties");
            Files.writeString(config, text, StandardCharsets.UTF_8);
            Files.writeString(baseDir.resolve("log4j2.properties"), log4j, StandardCharsets.UTF_8);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the broker's configuration", e);
        }
    }

    private void format(Path config) {
        List<String> command = java("kafka.tools.StorageTool", "format", "--standalone",
                "-t", Uuid.randomUuid().toString(), "-c", config.toString());
        OsCommand.Result r = OsCommand.run(command, FORMAT_TIMEOUT);
        if (!r.ok()) {
            throw new IllegalStateException("formatting the Kafka storage failed (exit " + r.exitCode() + "):\n" + r.output());
        }
    }

    private void launch(Path config) {
        try {
            process = new ProcessBuilder(java("kafka.Kafka", config.toString())).redirectErrorStream(true)
                    .redirectOutput(baseDir.resolve("stdout.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker", e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String lastProblem = "";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + " while starting:\n"
                        + stdoutTail() + "\nbroker log:\n" + logTail());
            }
            try {
                if (!admin().describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                lastProblem = String.valueOf(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
            }
            sleep(200);
        }
        throw new IllegalStateException("the Kafka broker did not answer within " + START_TIMEOUT + " (" + lastProblem
                + "):\nbroker log:\n" + logTail());
    }

    /** {@code java -cp <this JVM's test classpath> main args...}, with a small heap and its own log4j2 configuration. */
    private List<String> java(String main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true", "-Dlog4j2.disable.jmx=true",
                "-Dlog4j2.configurationFile=" + baseDir.resolve("log4j2.properties").toUri()));
        command.add("-cp");
        command.add(classpath());
        command.add(main);
        command.addAll(List.of(args));
        return command;
    }

    /** This JVM's classpath as entries (Surefire may run tests from a manifest-only jar). */
    private static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        String joined = Stream.of(cp.split(File.pathSeparator)).filter(e -> !e.isBlank() && Files.exists(Path.of(e)))
                .collect(Collectors.joining(File.pathSeparator));
        if (!joined.contains("kafka_2.13")) {
            throw new IllegalStateException("the Kafka server jars (org.apache.kafka:kafka_2.13) are not on the test "
                    + "classpath, so no broker can be started: add it as a test dependency");
        }
        return joined;
    }

    private String logTail() {
        return tail(logFile(), 60);
    }

    private String stdoutTail() {
        return tail(baseDir.resolve("stdout.log"), 40);
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no " + file.getFileName() + ")";
        }
    }

    @Override
    public void close() {
        stopAndDelete();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook runs or ran.
        }
    }

    private synchronized void stopAndDelete() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
        stopProcess();
        Scratch.delete(baseDir);
    }

    private void stopProcess() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }



}
