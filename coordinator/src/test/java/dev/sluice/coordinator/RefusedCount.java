package dev.sluice.coordinator;

import static io.restassured.RestAssured.when;

/** Reads {@code sluice_refused_total} from the running app's metrics. */
public final class RefusedCount {

    private RefusedCount() {
    }

    /** The count of refusals at {@code boundary} for {@code reason}; 0 before the first. */
    public static double of(String boundary, String reason) {
        for (String line : when().get("/q/metrics").then().statusCode(200).extract().asString().split("\n")) {
            if (line.startsWith("sluice_refused_total{") && line.contains("boundary=\"" + boundary + "\"")
                    && line.contains("reason=\"" + reason + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
