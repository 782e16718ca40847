package io.hpcbridge.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class ClusterAdmissionTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void aCampaignAloneMayFillTheClusterButNoMoreThanIsFree() {
        ClusterAdmission a = new ClusterAdmission();
        assertThat(a.grant("ns/c", "ns/one", T0, 8, 0, 0, 20, T0)).isEqualTo(8);
        assertThat(a.grant("ns/c", "ns/one", T0, 8, 6, 6, 20, T0)).isEqualTo(2);
        assertThat(a.grant("ns/c", "ns/one", T0, null, 100, 100, 20, T0)).as("no cap").isEqualTo(20);
    }

    @Test
    void aSecondCampaignGetsHalfAsTheFirstOnesAttemptsEnd() {
        ClusterAdmission a = new ClusterAdmission();
        a.grant("ns/c", "ns/old", T0, 8, 8, 8, 20, T0);
        // The newer campaign arrives while the older one holds every slot: nothing is free yet.
        assertThat(a.grant("ns/c", "ns/new", T0.plusSeconds(60), 8, 8, 0, 20, T0.plusSeconds(1))).isZero();
        // Two of the older campaign's attempts end: it may not refill beyond its half...
        assertThat(a.grant("ns/c", "ns/old", T0, 8, 6, 6, 20, T0.plusSeconds(2))).isZero();
        // ...and the newer one takes the two free slots.
        assertThat(a.grant("ns/c", "ns/new", T0.plusSeconds(60), 8, 6, 0, 20, T0.plusSeconds(3))).isEqualTo(2);
    }

    @Test
    void wantsThatAreNotRenewedExpire() {
        ClusterAdmission a = new ClusterAdmission();
        a.grant("ns/c", "ns/gone", T0, 8, 0, 0, 20, T0);
        Instant later = T0.plus(ClusterAdmission.WANT_TTL).plusSeconds(1);
        assertThat(a.grant("ns/c", "ns/here", T0.plusSeconds(5), 8, 0, 0, 20, later)).isEqualTo(8);
    }
}
