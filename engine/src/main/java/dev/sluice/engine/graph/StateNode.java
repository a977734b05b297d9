package dev.sluice.engine.graph;

import dev.sluice.api.Pair;
import dev.sluice.engine.exec.TaskContext;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * updateStateByKey: every batch, the update function runs for every key that has state
 * or new values, with the key's new values in arrival order and its state; a key whose
 * function returns empty is dropped. The batch holds every key's state.
 */
public final class StateNode extends StatefulNode {

    private final BiFunction<List<Object>, Optional<Object>, Optional<Object>> update;
    private final List<Pair<Object, Object>> initialState;

    public StateNode(int id, int shuffleId, Node parent, BiFunction<List<Object>, Optional<Object>, Optional<Object>> update,
                     int numPartitions, List<Pair<Object, Object>> initialState) {
        super(id, shuffleId, "updateStateByKey", parent, numPartitions);
        this.update = update;
        this.initialState = List.copyOf(initialState);
    }

    @Override
    public Iterator<Object> compute(int partition, long timeMs, TaskContext ctx) {
        Map<Object, Object> state = new LinkedHashMap<>();
        Iterator<Object> previous = previous(partition, timeMs, ctx);
        if (previous != null) {
            previous.forEachRemaining(r -> state.put(((Pair<?, ?>) r).first(), ((Pair<?, ?>) r).second()));
        } else {
            for (Pair<Object, Object> kv : initialState) {
                if (partitioner().partition(kv.first()) == partition) {
                    state.putIfAbsent(kv.first(), kv.second());
                }
            }
        }
        Map<Object, List<Object>> values = new LinkedHashMap<>();
        newPairs(partition, ctx).forEachRemaining(r -> {
            Pair<?, ?> kv = (Pair<?, ?>) r;
            values.computeIfAbsent(kv.first(), k -> new ArrayList<>()).add(kv.second());
        });
        List<Object> out = new ArrayList<>(state.size() + values.size());
        state.forEach((key, s) -> emit(out, key, values.remove(key), Optional.ofNullable(s)));
        values.forEach((key, vs) -> emit(out, key, vs, Optional.empty()));
        return out.iterator();
    }

    private void emit(List<Object> out, Object key, List<Object> values, Optional<Object> state) {
        Optional<Object> next = update.apply(values == null ? List.of() : values, state);
        if (next == null) {
            throw new IllegalStateException("updateStateByKey: the update function returned null for key " + key
                    + "; return Optional.empty() to drop the key");
        }
        next.ifPresent(s -> out.add(Pair.of(key, s)));
    }

    @Override
    public String describe() {
        return "updateStateByKey(partitions=" + partitioner().numPartitions() + ",initial=" + initialState.size() + ")";
    }
}
