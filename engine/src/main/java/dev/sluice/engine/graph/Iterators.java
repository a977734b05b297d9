package dev.sluice.engine.graph;

import dev.sluice.api.Pair;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Predicate;

/** Lazy iterator adapters that the narrow operators chain into one pass per partition. */
final class Iterators {

    private Iterators() {
    }

    static Iterator<Object> map(Iterator<Object> in, Function<Object, Object> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return in.hasNext();
            }

            @Override
            public Object next() {
                return f.apply(in.next());
            }
        };
    }

    static Iterator<Object> filter(Iterator<Object> in, Predicate<Object> p) {
        return new Iterator<>() {
            private Object pending;
            private boolean ready;

            @Override
            public boolean hasNext() {
                while (!ready && in.hasNext()) {
                    Object candidate = in.next();
                    if (p.test(candidate)) {
                        pending = candidate;
                        ready = true;
                    }
                }
                return ready;
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = false;
                Object out = pending;
                pending = null;
                return out;
            }
        };
    }

    static Iterator<Object> flatMap(Iterator<Object> in, Function<Object, ? extends Iterable<?>> f) {
        return new Iterator<>() {
            private Iterator<?> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (!in.hasNext()) {
                        return false;
                    }
                    current = f.apply(in.next()).iterator();
                }
                return true;
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    static Iterator<Object> concat(List<Iterator<Object>> parts) {
        return new Iterator<>() {
            private int next;
            private Iterator<Object> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (next == parts.size()) {
                        return false;
                    }
                    current = parts.get(next++);
                }
                return true;
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    /** The entries of {@code map} as pairs, in the map's order. */
    static Iterator<Object> pairs(Map<?, ?> map) {
        Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public Object next() {
                Map.Entry<?, ?> e = entries.next();
                return Pair.of(e.getKey(), e.getValue());
            }
        };
    }
}
