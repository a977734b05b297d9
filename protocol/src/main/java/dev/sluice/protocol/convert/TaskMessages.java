package dev.sluice.protocol.convert;

import dev.sluice.engine.exec.TaskSpec;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.protocol.BlockRef;
import dev.sluice.protocol.CachedLocations;
import dev.sluice.protocol.FileRef;
import dev.sluice.protocol.LayoutUpdate;
import dev.sluice.protocol.QueueSlice;
import dev.sluice.protocol.ShuffleLocations;
import dev.sluice.protocol.ShuffleReady;
import dev.sluice.protocol.SourceSplits;
import dev.sluice.protocol.TaskAssignment;
import dev.sluice.protocol.TaskId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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

    /** The assignment message for {@code task}, its layout inside. */
    public static TaskAssignment toAssignment(TaskSpec task) {
        BatchLayout layout = task.layout();
        TaskAssignment.Builder b = TaskAssignment.newBuilder().setId(id(task)).setFingerprint(task.fingerprint())
                .setZeroTimeMs(layout.zeroTimeMs());
        b.addAllSources(toProto(layout.splits()));
        b.addAllShuffles(shuffles(layout));
        b.addAllCached(cached(layout));
        return b.build();
    }

    /** The assignment message for {@code task}, naming its layout by the id of a {@link #toLayoutUpdate} sent before. */
    public static TaskAssignment toAssignment(TaskSpec task, long layoutId) {
        return TaskAssignment.newBuilder().setId(id(task)).setFingerprint(task.fingerprint()).setLayoutId(layoutId).build();
    }

    /**
     * The assignment message for {@code task}, placed before the map outputs of the shuffles in
     * {@code awaited} exist, naming its layout by id as {@link #toAssignment(TaskSpec, long)} does.
     */
    public static TaskAssignment toAssignment(TaskSpec task, long layoutId, Set<Integer> awaited) {
        return TaskAssignment.newBuilder().setId(id(task)).setFingerprint(task.fingerprint()).setLayoutId(layoutId)
                .addAllAwaitedShuffles(new TreeSet<>(awaited)).build();
    }

    /** The message saying {@code shuffle}'s map outputs, read by {@code job}'s {@code stage} at {@code batchTimeMs}, are at {@code locations}. */
    public static ShuffleReady shuffleReady(String job, long batchTimeMs, int stage, int shuffle, List<String> locations) {
        return ShuffleReady.newBuilder().setJob(job).setBatchTimeMs(batchTimeMs).setStage(stage)
                .setShuffle(ShuffleLocations.newBuilder().setShuffle(shuffle).addAllMapOutputAddresses(locations)).build();
    }

    /** {@code layout} of a batch of {@code job} as a message that assignments name by {@code layoutId}. */
    public static LayoutUpdate toLayoutUpdate(long layoutId, String job, BatchLayout layout) {
        return LayoutUpdate.newBuilder().setLayoutId(layoutId).setJob(job).setBatchTimeMs(layout.batchTimeMs())
                .setZeroTimeMs(layout.zeroTimeMs()).addAllSources(toProto(layout.splits()))
                .addAllShuffles(shuffles(layout)).addAllCached(cached(layout)).build();
    }

    private static List<ShuffleLocations> shuffles(BatchLayout layout) {
        List<ShuffleLocations> shuffles = new ArrayList<>(layout.mapOutputs().size());
        new TreeMap<>(layout.mapOutputs()).forEach((shuffle, locations) -> shuffles.add(
                ShuffleLocations.newBuilder().setShuffle(shuffle).addAllMapOutputAddresses(locations).build()));
        return shuffles;
    }

    private static List<CachedLocations> cached(BatchLayout layout) {
        List<CachedLocations> cached = new ArrayList<>(layout.cached().size());
        layout.cached().forEach((kept, locations) -> cached.add(CachedLocations.newBuilder()
                .setNode(kept.node()).setBatchTimeMs(kept.timeMs()).addAllAddresses(locations).build()));
        return cached;
    }

    /**
     * The task an assignment that carries its layout describes.
     *
     * @throws IllegalArgumentException naming the first field that is out of range
     */
    public static TaskSpec fromAssignment(TaskAssignment a) {
        require(a.getLayoutId() == 0, "the assignment names layout " + a.getLayoutId() + " instead of carrying one");
        return fromAssignment(a, layout(a.getId().getBatchTimeMs(), a.getZeroTimeMs(), a.getSourcesList(),
                a.getShufflesList(), a.getCachedList()));
    }

    /**
     * The task an assignment describes, with the layout it names.
     *
     * @throws IllegalArgumentException naming the first field that is out of range, or when
     *                                  the layout is of another batch
     */
    public static TaskSpec fromAssignment(TaskAssignment a, BatchLayout layout) {
        TaskId id = a.getId();
        require(!id.getJob().isEmpty(), "task id has no job");
        require(id.getStage() >= 0, "task stage is negative: " + id.getStage());
        require(id.getPartition() >= 0, "task partition is negative: " + id.getPartition());
        require(id.getAttempt() >= 0, "task attempt is negative: " + id.getAttempt());
        require(layout.batchTimeMs() == id.getBatchTimeMs(), "the layout is of batch " + layout.batchTimeMs()
                + ", the task of batch " + id.getBatchTimeMs());
        return new TaskSpec(id.getJob(), a.getFingerprint(), id.getStage(), id.getPartition(), id.getAttempt(), layout);
    }

    /**
     * The layout a {@link LayoutUpdate} carries.
     *
     * @throws IllegalArgumentException naming the first field that is out of range
     */
    public static BatchLayout fromLayoutUpdate(LayoutUpdate u) {
        require(u.getLayoutId() > 0, "layout id is not positive: " + u.getLayoutId());
        require(!u.getJob().isEmpty(), "layout " + u.getLayoutId() + " has no job");
        return layout(u.getBatchTimeMs(), u.getZeroTimeMs(), u.getSourcesList(), u.getShufflesList(), u.getCachedList());
    }

    private static BatchLayout layout(long batchTimeMs, long zeroTimeMs, List<SourceSplits> sources,
                                      List<ShuffleLocations> shuffles, List<CachedLocations> kept) {
        Map<Integer, List<InputSplit>> splits = fromProto(sources);
        Map<Integer, List<String>> mapOutputs = new HashMap<>();
        for (ShuffleLocations l : shuffles) {
            mapOutputs.put(l.getShuffle(), List.copyOf(l.getMapOutputAddressesList()));
        }
        Map<BatchLayout.CachedBatch, List<String>> cached = new HashMap<>();
        for (CachedLocations c : kept) {
            require(c.getBatchTimeMs() <= batchTimeMs, "kept batch " + c.getBatchTimeMs() + " of node "
                    + c.getNode() + " is later than the task's batch " + batchTimeMs);
            cached.put(new BatchLayout.CachedBatch(c.getNode(), c.getBatchTimeMs()), List.copyOf(c.getAddressesList()));
        }
        return new BatchLayout(batchTimeMs, zeroTimeMs, splits, mapOutputs, cached);
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
