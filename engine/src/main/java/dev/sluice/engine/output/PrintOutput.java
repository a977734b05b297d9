package dev.sluice.engine.output;

import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.engine.codec.RecordWriter;
import dev.sluice.engine.graph.Node;

import java.io.PrintStream;
import java.util.Iterator;
import java.util.List;

/** Prints the first n elements of every batch, in Spark's format, on the coordinator. */
public final class PrintOutput extends OutputOperation {

    private final int n;
    private final PrintStream out;

    public PrintOutput(int index, Node stream, int n, PrintStream out) {
        super(index, stream);
        if (n <= 0) {
            throw new IllegalArgumentException("print: the number of elements must be positive, got " + n);
        }
        this.n = n;
        this.out = out;
    }

    @Override
    public byte[] runTask(Iterator<Object> records, long batchTimeMs, int partition) {
        // n + 1 per partition is enough to know whether to print "...".
        RecordWriter w = new RecordWriter();
        for (int i = 0; i <= n && records.hasNext(); i++) {
            w.write(records.next());
        }
        return w.toByteArray();
    }

    @Override
    public void finish(long batchTimeMs, List<byte[]> partitionResults) {
        StringBuilder sb = new StringBuilder();
        sb.append("-------------------------------------------\n");
        sb.append("Time: ").append(batchTimeMs).append(" ms\n");
        sb.append("-------------------------------------------\n");
        int printed = 0;
        boolean more = false;
        for (byte[] result : partitionResults) {
            for (Object record : RecordCodec.decode(result)) {
                if (printed == n) {
                    more = true;
                    break;
                }
                sb.append(record).append('\n');
                printed++;
            }
            if (more) {
                break;
            }
        }
        if (more) {
            sb.append("...\n");
        }
        sb.append('\n');
        out.print(sb);
        out.flush();
    }

    @Override
    public String describe() {
        return "print(" + n + ")";
    }
}
