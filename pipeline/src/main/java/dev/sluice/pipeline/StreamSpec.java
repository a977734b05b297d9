package dev.sluice.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of the spec's {@code streams}: a named stream made from others by one operation.
 *
 * @param name       its name
 * @param path       where it is in the spec ({@code streams.<name>})
 * @param from       the stream it reads; {@code null} for a union
 * @param operation  what it does
 * @param window     the window, for {@code window} alone or with reduceByKey, countByValue or count; else {@code null}
 * @param partitions the number of shuffle partitions; 0 for the job's default
 */
public record StreamSpec(String name, String path, String from, Operation operation, WindowSpec window,
                         int partitions) {

    /** The streams it reads, in the order they are written. */
    public List<String> inputs() {
        List<String> inputs = new ArrayList<>();
        if (from != null) {
            inputs.add(from);
        }
        if (operation instanceof Operation.Join join) {
            inputs.add(join.other());
        } else if (operation instanceof Operation.Union union) {
            inputs.addAll(union.streams());
        }
        return inputs;
    }

    /** The path of the field that names {@code inputs().get(index)}. */
    String inputPath(int index) {
        if (from != null && index == 0) {
            return SpecNode.child(path, "from");
        }
        if (operation instanceof Operation.Join) {
            return SpecNode.child(path, "join");
        }
        return SpecNode.element(SpecNode.child(path, "union"), index);
    }

    /** The path of its operation's key. */
    String operationPath() {
        return SpecNode.child(path, operation.specKey());
    }
}
