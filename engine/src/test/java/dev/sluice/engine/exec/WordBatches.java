package dev.sluice.engine.exec;

import java.util.ArrayList;
import java.util.List;

/** Deterministic input for the executor tests: batches of six three-word lines over seven words. */
final class WordBatches {

    private WordBatches() {
    }

    /** {@code batches} batches of lines, the same every time. */
    static List<List<String>> of(int batches) {
        String[] words = {"a", "b", "c", "d", "e", "f", "g"};
        List<List<String>> input = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            List<String> lines = new ArrayList<>();
            for (int j = 0; j < 6; j++) {
                lines.add(words[(i + j) % words.length] + " " + words[(i * j) % words.length] + " " + words[j]);
            }
            input.add(lines);
        }
        return input;
    }
}
