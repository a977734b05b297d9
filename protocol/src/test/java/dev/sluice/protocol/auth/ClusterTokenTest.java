package dev.sluice.protocol.auth;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterTokenTest {

    private static final Optional<ClusterToken> TOKEN = ClusterToken.of(Optional.of("0123456789abcdef-token"));

    @Test
    void onlyTheExactBearerTokenIsAccepted() {
        ClusterToken t = TOKEN.orElseThrow();
        assertTrue(t.accepts("Bearer 0123456789abcdef-token"));
        assertFalse(t.accepts("Bearer 0123456789abcdef-toke"));
        assertFalse(t.accepts("0123456789abcdef-token"));
        assertFalse(t.accepts(null));
    }

    @Test
    void aShortTokenIsRefusedSayingHowToMakeOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterToken.of(Optional.of("short")));
        assertTrue(e.getMessage().contains("at least 16"), e.getMessage());
        assertTrue(ClusterToken.of(Optional.empty()).isEmpty());
    }

    @Test
    void httpMutationsUnderApiNeedTheTokenAndReadsDoNot() {
        assertTrue(ClusterToken.refusesHttp(TOKEN, "POST", "/api/jobs", null).isPresent());
        assertTrue(ClusterToken.refusesHttp(TOKEN, "PUT", "/api/pools/p/replicas", "Bearer nope-nope-nope-nope").isPresent());
        assertEquals(Optional.empty(), ClusterToken.refusesHttp(TOKEN, "POST", "/api/jobs", "Bearer 0123456789abcdef-token"));
        assertEquals(Optional.empty(), ClusterToken.refusesHttp(TOKEN, "GET", "/api/jobs", null));
        assertEquals(Optional.empty(), ClusterToken.refusesHttp(Optional.empty(), "POST", "/api/jobs", null));
        // With reads closed, a read needs the token too; health and metrics stay open.
        assertTrue(ClusterToken.refusesHttp(TOKEN, false, "GET", "/api/jobs", null).orElseThrow().contains("open-reads"));
        assertEquals(Optional.empty(), ClusterToken.refusesHttp(TOKEN, false, "GET", "/api/jobs", "Bearer 0123456789abcdef-token"));
        assertEquals(Optional.empty(), ClusterToken.refusesHttp(TOKEN, false, "GET", "/q/metrics", null));
    }
}
