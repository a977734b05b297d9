package dev.sluice.protocol.convert;

import dev.sluice.engine.exec.TaskSpec;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.protocol.BlockRef;
import dev.sluice.protocol.CachedLocations;
import dev.sluice.protocol.FileRef;
import dev.sluice.protocol.QueueSlice;
import dev.sluice.protocol.ShuffleLocations;
import dev.sluice.protocol.SourceSplits;
import dev.sluice.protocol.TaskAssignment;
import dev.sluice.protocol.TaskId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Maps tasks between the engine's types and their protobuf messages, both ways. */
public final class TaskMessages {

    private TaskMessages() {
    }

    /** The protobuf id of {@code task}. */
    public static TaskId id(TaskSpec task) {
        return TaskId.newBuilder()
                .setJob(task.job())
                .setBatchTimeMs(task.batchTimeMs())
                .setStage(task.stage())
                .setPartition(task.partition())
                .setAttempt(task.attempt())
                .build();
    }

    /** The assignment message for {@code task}. */
    public static TaskAssignment toAssignment(TaskSpec task) {
        BatchLayout layout = task.layout();
        TaskAssignment.Builder b = TaskAssignment.newBuilder().setId(id(task)).setFingerprint(task.fingerprint())
                .setZeroTimeMs(layout.zeroTimeMs());
        b.addAllSources(toProto(layout.splits()));
        new TreeMap<>(layout.mapOutputs()).forEach((shuffle, locations) ->
                b.addShuffles(ShuffleLocations.newBuilder().setShuffle(shuffle).addAllMapOutputAddresses(locations)));
        layout.cached().forEach((kept, locations) -> b.addCached(CachedLocations.newBuilder()
                .setNode(kept.node()).setBatchTimeMs(kept.timeMs()).addAllAddresses(locations)));
        return b.build();
    }

    /**
     * The task an assignment describes.
     *
     * @throws IllegalArgumentException naming the first field that is out of range
     */
    public static TaskSpec fromAssignment(TaskAssignment a) {
        TaskId id = a.getId();
        require(!id.getJob().isEmpty(), "task id has no job");
        require(id.getStage() >= 0, "task stage is negative: " + id.getStage());
        require(id.getPartition() >= 0, "task partition is negative: " + id.getPartition());
        require(id.getAttempt() >= 0, "task attempt is negative: " + id.getAttempt());
        Map<Integer, List<InputSplit>> splits = fromProto(a.getSourcesList());
        Map<Integer, List<String>> mapOutputs = new HashMap<>();
        for (ShuffleLocations l : a.getShufflesList()) {
            mapOutputs.put(l.getShuffle(), List.copyOf(l.getMapOutputAddressesList()));
        }
        Map<BatchLayout.CachedBatch, List<String>> cached = new HashMap<>();
        for (CachedLocations c : a.getCachedList()) {
            require(c.getBatchTimeMs() <= id.getBatchTimeMs(), "kept batch " + c.getBatchTimeMs() + " of node "
                    + c.getNode() + " is later than the task's batch " + id.getBatchTimeMs());
            cached.put(new BatchLayout.CachedBatch(c.getNode(), c.getBatchTimeMs()), List.copyOf(c.getAddressesList()));
        }
        BatchLayout layout = new BatchLayout(id.getBatchTimeMs(), a.getZeroTimeMs(), splits, mapOutputs, cached);
        return new TaskSpec(id.getJob(), a.getFingerprint(), id.getStage(), id.getPartition(), id.getAttempt(), layout);
    }

    /** The splits of every source of a batch, by source node, as messages. */
    public static List<SourceSplits> toProto(Map<Integer, List<InputSplit>> splits) {
        List<SourceSplits> sources = new ArrayList<>(splits.size());
        new TreeMap<>(splits).forEach((node, list) -> {
            SourceSplits.Builder s = SourceSplits.newBuilder().setNode(node);
            list.forEach(split -> s.addSplits(toProto(split)));
            sources.add(s.build());
        });
        return sources;
    }

    /**
     * The splits of every source of a batch, by source node.
     *
     * @throws IllegalArgumentException naming the first field that is out of range
     */
    public static Map<Integer, List<InputSplit>> fromProto(List<SourceSplits> sources) {
        Map<Integer, List<InputSplit>> splits = new HashMap<>();
        for (SourceSplits s : sources) {
            List<InputSplit> list = new ArrayList<>(s.getSplitsCount());
            s.getSplitsList().forEach(p -> list.add(fromProto(p)));
            splits.put(s.getNode(), list);
        }
        return splits;
    }

    static dev.sluice.protocol.InputSplit toProto(InputSplit split) {
        dev.sluice.protocol.InputSplit.Builder b = dev.sluice.protocol.InputSplit.newBuilder();
        if (split instanceof InputSplit.Block block) {
            b.setBlock(BlockRef.newBuilder().setBlockId(block.blockId()).setAddress(block.address()).setRecords(block.records()));
        } else if (split instanceof InputSplit.QueueSlice q) {
            b.setQueue(QueueSlice.newBuilder().setBatchIndex(q.batchIndex()).setSlice(q.slice()).setSlices(q.slices()));
        } else if (split instanceof InputSplit.File f) {
            b.setFile(FileRef.newBuilder().setPath(f.path()));
        } else if (split instanceof InputSplit.OffsetRange r) {
            b.setOffsets(dev.sluice.protocol.OffsetRange.newBuilder().setTopic(r.topic()).setPartition(r.partition())
                    .setFromOffset(r.fromOffset()).setUntilOffset(r.untilOffset()));
        }
        return b.build();
    }

    static InputSplit fromProto(dev.sluice.protocol.InputSplit p) {
        return switch (p.getKindCase()) {
            case BLOCK -> new InputSplit.Block(p.getBlock().getBlockId(), p.getBlock().getAddress(), p.getBlock().getRecords());
            case QUEUE -> {
                QueueSlice q = p.getQueue();
                require(q.getSlices() > 0 && q.getSlice() >= 0 && q.getSlice() < q.getSlices(),
                        "queue slice " + q.getSlice() + " of " + q.getSlices() + " is out of range");
                yield new InputSplit.QueueSlice(q.getBatchIndex(), q.getSlice(), q.getSlices(), 0);
            }
            case FILE -> new InputSplit.File(p.getFile().getPath());
            case OFFSETS -> {
                dev.sluice.protocol.OffsetRange r = p.getOffsets();
                String where = "offset range of " + r.getTopic() + "-" + r.getPartition();
                require(!r.getTopic().isEmpty(), "offset range has no topic");
                require(r.getPartition() >= 0, where + ": partition is negative");
                require(r.getFromOffset() >= 0 && r.getFromOffset() <= r.getUntilOffset(), where + ": from "
                        + r.getFromOffset() + " must be at least 0 and at most until " + r.getUntilOffset());
                yield new InputSplit.OffsetRange(r.getTopic(), r.getPartition(), r.getFromOffset(), r.getUntilOffset());
            }
            case KIND_NOT_SET -> throw new IllegalArgumentException("input split has no kind");
        };
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
