package dev.sluice.receiver;

import static io.restassured.RestAssured.given;

/** Reads the app's Prometheus metrics. */
public final class Metrics {

    private Metrics() {
    }

    /** The whole {@code /q/metrics} text. */
    public static String scrape() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * The value of the sample of {@code name} whose labels include every {@code label="value"}
     * given as pairs, or NaN if there is none.
     */
    public static double value(String name, String... labels) {
        for (String line : scrape().split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                all &= line.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (all) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }
}
