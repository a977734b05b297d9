package dev.sluice.engine.graph;

import java.util.Iterator;
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
            private Iterator<?> current = java.util.Collections.emptyIterator();

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
}
