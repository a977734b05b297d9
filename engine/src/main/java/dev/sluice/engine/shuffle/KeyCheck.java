package dev.sluice.engine.shuffle;

/**
 * Refuses keys whose hash code is not a function of their value — arrays, enums and
 * classes that keep Object's identity hash — because equal keys would go to different
 * partitions in different processes, and a per-key operation would silently split them.
 */
final class KeyCheck {

    private static final ClassValue<String> PROBLEM = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            if (type.isArray()) {
                return "an array, whose hashCode is its identity";
            }
            if (type.isEnum() || (type.getSuperclass() != null && type.getSuperclass().isEnum())) {
                return "an enum, whose hashCode differs from process to process (use name() as the key)";
            }
            try {
                if (type.getMethod("hashCode").getDeclaringClass() == Object.class) {
                    return "a class that does not override hashCode";
                }
            } catch (NoSuchMethodException e) {
                return "a class without hashCode";
            }
            return null;
        }
    };

    private KeyCheck() {
    }

    /** {@code key}, when it can be hashed to a partition. */
    static Object checked(Object key, String operator) {
        // Strings are the usual keys: no class lookup for them.
        if (key != null && !(key instanceof String)) {
            String problem = PROBLEM.get(key.getClass());
            if (problem != null) {
                throw new IllegalArgumentException(operator + ": key type " + key.getClass().getName() + " is " + problem
                        + ", so equal keys would not meet in one partition");
            }
        }
        return key;
    }
}
