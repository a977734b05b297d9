package dev.sluice.engine.plan;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which stages a worker runs: {@code all}, or a comma-separated list of roles
 * ({@code map}, {@code reduce}, {@code state}). A worker runs a stage when the stage has
 * at least one of its roles.
 */
public record StageSelector(Set<StageRole> roles) {

    /** Every stage. */
    public static final StageSelector ALL = new StageSelector(EnumSet.allOf(StageRole.class));

    public StageSelector {
        roles = Set.copyOf(roles);
    }

    /**
     * Parses a selector.
     *
     * @throws IllegalArgumentException naming the bad entry and the accepted ones
     */
    public static StageSelector parse(String text) {
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("all")) {
            return ALL;
        }
        Set<StageRole> roles = EnumSet.noneOf(StageRole.class);
        for (String part : text.split(",")) {
            String name = part.trim().toUpperCase(Locale.ROOT);
            try {
                roles.add(StageRole.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("stage selector '" + text + "': '" + part.trim()
                        + "' is not a stage role; use all, or a comma-separated list of map, reduce, state");
            }
        }
        return new StageSelector(roles);
    }

    /** Whether a worker with this selector runs a stage with {@code stageRoles}. */
    public boolean accepts(Set<StageRole> stageRoles) {
        for (StageRole r : stageRoles) {
            if (roles.contains(r)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return roles.size() == StageRole.values().length ? "all"
                : String.join(",", roles.stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted().toList());
    }
}
