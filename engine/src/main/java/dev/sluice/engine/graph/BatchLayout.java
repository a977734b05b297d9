package dev.sluice.engine.graph;

import java.util.List;
import java.util.Map;

/**
 * The inputs of one batch: the splits of every source, and where every map output of
 * every shuffle lives. Together with the graph it determines the batch's output.
 *
 * @param batchTimeMs the batch's time
 * @param splits      for each source node id, its input splits in partition order
 * @param mapOutputs  for each shuffle (node id), the location of each map partition's output
 */
public record BatchLayout(long batchTimeMs, Map<Integer, List<InputSplit>> splits,
                          Map<Integer, List<String>> mapOutputs) {

    public BatchLayout {
        splits = Map.copyOf(splits);
        mapOutputs = Map.copyOf(mapOutputs);
    }

    /** The splits of source {@code node}; none when the source had no input in this batch. */
    public List<InputSplit> splitsOf(int node) {
        return splits.getOrDefault(node, List.of());
    }

    /** The map output locations of {@code shuffle}. */
    public List<String> mapOutputsOf(int shuffle) {
        List<String> locations = mapOutputs.get(shuffle);
        if (locations == null) {
            throw new IllegalStateException("batch " + batchTimeMs + " has no map outputs for shuffle " + shuffle);
        }
        return locations;
    }

    /** The total number of records the sources of this batch hold, where known. */
    public long inputRecords() {
        long n = 0;
        for (List<InputSplit> list : splits.values()) {
            for (InputSplit s : list) {
                n += s.records();
            }
        }
        return n;
    }
}
