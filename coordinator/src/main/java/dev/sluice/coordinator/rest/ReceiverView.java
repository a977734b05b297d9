package dev.sluice.coordinator.rest;

import dev.sluice.coordinator.cluster.ReceiverRegistry;

import java.util.List;
import java.util.Map;

/**
 * An attached receiver: the sources it runs ("job/node") and the rate backpressure last
 * set for each, in records per second (absent when none was set).
 */
public record ReceiverView(String id, String address, List<String> sources, Map<String, Double> rates) {

    static ReceiverView of(ReceiverRegistry.Receiver r, Map<String, Double> allRates) {
        List<String> sources = r.sources();
        Map<String, Double> rates = new java.util.TreeMap<>();
        sources.forEach(s -> {
            Double rate = allRates.get(s);
            if (rate != null) {
                rates.put(s, rate);
            }
        });
        return new ReceiverView(r.id(), r.address(), sources, rates);
    }
}
