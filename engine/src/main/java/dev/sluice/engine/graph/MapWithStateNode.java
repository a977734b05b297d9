package dev.sluice.engine.graph;

import dev.sluice.api.MappingFunction;
import dev.sluice.api.Pair;
import dev.sluice.engine.exec.TaskContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * mapWithState: the mapping function runs once per new pair, in arrival order, with its
 * key's state, and once for every key that got no value for longer than the timeout
 * (which then goes). Timeouts are checked every batch.
 * Each partition of a batch is one record: the list of what the calls returned, and the
 * list of entries [key, state, last update time] — the mapped stream and the state
 * snapshots read one each.
 */
public final class MapWithStateNode extends StatefulNode {

    private final MappingFunction<Object, Object, Object, Object> function;
    private final List<Pair<Object, Object>> initialState;
    private final long timeoutMs;

    /**
     * @param timeoutMs how long a key may go without an update before it times out; 0 for never
     */
    public MapWithStateNode(int id, int shuffleId, Node parent, MappingFunction<Object, Object, Object, Object> function,
                            int numPartitions, List<Pair<Object, Object>> initialState, long timeoutMs) {
        super(id, shuffleId, "mapWithState", parent, numPartitions);
        this.function = function;
        this.initialState = List.copyOf(initialState);
        this.timeoutMs = timeoutMs;
    }

    /** A key's state and when it was last updated. */
    private record Entry(Object state, long updatedMs) {
    }

    @Override
    public Iterator<Object> compute(int partition, long timeMs, TaskContext ctx) {
        Map<Object, Entry> states = previousStates(partition, timeMs, ctx);
        List<Object> mapped = new ArrayList<>();
        Iterator<Object> in = newPairs(partition, ctx);
        while (in.hasNext()) {
            Pair<?, ?> kv = (Pair<?, ?>) in.next();
            Entry entry = states.get(kv.first());
            KeyState state = new KeyState(entry != null, entry == null ? null : entry.state(), false);
            mapped.add(function.call(kv.first(), Optional.ofNullable(kv.second()), state));
            // With a timeout, a value keeps its key alive even when the function does not update it (as Spark).
            if (state.removed()) {
                states.remove(kv.first());
            } else if (state.updated() || (state.exists() && timeoutMs > 0)) {
                states.put(kv.first(), new Entry(state.get(), timeMs));
            }
        }
        if (timeoutMs > 0) {
            long threshold = timeMs - timeoutMs;
            for (Map.Entry<Object, Entry> e : List.copyOf(states.entrySet())) {
                if (e.getValue().updatedMs() < threshold) {
                    mapped.add(function.call(e.getKey(), Optional.empty(), new KeyState(true, e.getValue().state(), true)));
                    states.remove(e.getKey());
                }
            }
        }
        List<Object> entries = new ArrayList<>(states.size());
        states.forEach((k, e) -> entries.add(Arrays.asList(k, e.state(), e.updatedMs())));
        return List.<Object>of(Arrays.asList(mapped, entries)).iterator();
    }

    private Map<Object, Entry> previousStates(int partition, long timeMs, TaskContext ctx) {
        Map<Object, Entry> states = new LinkedHashMap<>();
        Iterator<Object> previous = previous(partition, timeMs, ctx);
        if (previous == null) {
            for (Pair<Object, Object> kv : initialState) {
                if (partitioner().partition(kv.first()) == partition) {
                    states.putIfAbsent(kv.first(), new Entry(kv.second(), timeMs));
                }
            }
            return states;
        }
        for (Object entry : entriesOf(previous)) {
            List<?> e = (List<?>) entry;
            states.put(e.get(0), new Entry(e.get(1), (Long) e.get(2)));
        }
        return states;
    }

    /** The mapped values of one kept partition record. */
    static List<?> mappedOf(Object record) {
        return (List<?>) ((List<?>) record).get(0);
    }

    /** The [key, state, updated] entries of one kept partition record. */
    static List<?> entriesOf(Object record) {
        return (List<?>) ((List<?>) record).get(1);
    }

    private static List<?> entriesOf(Iterator<Object> partition) {
        return partition.hasNext() ? entriesOf(partition.next()) : List.of();
    }

    @Override
    public String describe() {
        return "mapWithState(partitions=" + partitioner().numPartitions() + ",initial=" + initialState.size()
                + ",timeout=" + timeoutMs + ")";
    }
}
