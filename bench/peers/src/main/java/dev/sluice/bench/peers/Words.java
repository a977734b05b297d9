package dev.sluice.bench.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The word count's tokenizer, shared by both runners so they count exactly what Sluice's word
 * count does: a line's non-empty pieces between runs of whitespace ({@code \s+}).
 */
final class Words {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Words() {
    }

    /** The words of {@code line}, in order. */
    static List<String> of(String line) {
        String[] pieces = WHITESPACE.split(line);
        List<String> words = new ArrayList<>(pieces.length);
        for (String piece : pieces) {
            if (!piece.isEmpty()) {
                words.add(piece);
            }
        }
        return words;
    }
}
