package dev.sluice.engine.shuffle;

import dev.sluice.engine.graph.Node;

/**
 * A shuffle: the pairs of {@code parent}'s partitions hashed by key into the
 * partitioner's buckets. With an aggregator, each map task combines its values per key
 * first (if the aggregator allows); without one, the pairs cross as they are.
 *
 * @param id          unique in the graph; names the shuffle's map outputs
 * @param operator    the operator that needs the shuffle, for error messages
 * @param aggregator  how values combine map-side, or {@code null} for none
 */
public record ShuffleDependency(int id, String operator, Node parent, Aggregator aggregator,
                                HashPartitioner partitioner) {

    /** Whether map tasks combine values per key before writing. */
    public boolean combinesMapSide() {
        return aggregator != null && aggregator.mapSideCombine();
    }
}
