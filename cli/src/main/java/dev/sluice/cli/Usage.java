package dev.sluice.cli;

/** The help text. */
final class Usage {

    private Usage() {
    }

    static String text(String p) {
        return """
                Usage: %1$s [--url URL] [--json] COMMAND [ARGUMENTS]

                Talks to the REST API of a Sluice coordinator, on this machine or remote.

                Commands:
                  status                       the jobs at a glance (does each keep up with its batch
                                               interval?), workers and receivers
                  jobs [NAME]                  every job with its counters, or one job in full
                  submit NAME [KEY=VALUE ...]  start a job with its arguments, e.g.
                                               %1$s submit wordcount source=dir:/data batch=2s
                      --spec-file FILE         pass FILE's text as the 'spec' argument (the pipeline job)
                      --wait                   wait until the job's first batch completes (progress on
                                               standard error)
                  stop NAME                    stop a job gracefully: no more batches are cut, those
                                               cut run to their end
                      --wait                   wait until it is STOPPED (progress on standard error)
                  batches NAME                 the job's newest batches, newest first
                      --limit N                how many (default 20, at most 1000)
                      --before TIME            those older than TIME (to page back)
                  batches NAME TIME            one batch with its stages
                  workers                      the registered stage-workers
                  pools                        the worker pools and their replicas
                  scale POOL N                 set a worker pool's replicas (the coordinator must run on
                                               Kubernetes)
                  receivers                    the attached receivers, their sources and rate limits
                  help                         this text

                Options:
                  --url URL      the coordinator (default $SLUICE_URL, else http://localhost:8080, or
                                 the port in $SLUICE_HTTP_PORT)
                  --json         print the JSON the API answered, pretty, instead of tables
                  --timeout D    how long --wait waits, e.g. 90s or 5m (default 2 min plus two batch
                                 intervals)

                TIME is a batch time as the tables show it (HH:mm:ss.SSS, local time, the latest such
                time) or in epoch milliseconds, as --json shows it.

                Environment:
                  SLUICE_URL     the coordinator's URL
                  SLUICE_TOKEN   an API token, sent as 'Authorization: Bearer <token>' with every request
                  SLUICE_CA      for an https:// URL: a PEM file with the CA certificate to trust (a
                                 cluster with TLS; the chart Secret's ca.crt), instead of the JDK's CAs

                Exit codes: 0 done; 1 the API answered an error, or a wait failed or ran out of time;
                2 wrong usage; 3 the coordinator cannot be reached.
                """.formatted(p);
    }
}
