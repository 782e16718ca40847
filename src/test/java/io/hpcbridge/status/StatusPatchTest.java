package io.hpcbridge.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.hpcbridge.api.v1alpha1.ClusterPhase;
import io.hpcbridge.api.v1alpha1.HpcCluster;
import io.hpcbridge.api.v1alpha1.HpcClusterStatus;
import io.hpcbridge.api.v1alpha1.LoginNode;

class StatusPatchTest {
    @Test
    void aStatusPatchCarriesNoSpecAndNoneOfTheUsersMetadata() {
        HpcCluster live = new HpcCluster();
        live.getMetadata().setName("site");
        live.getMetadata().setNamespace("ns");
        live.getMetadata().setAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", "{}"));
        live.getMetadata().setLabels(Map.of("team", "astro"));
        live.getSpec().setLoginNodes(List.of(new LoginNode("login1", 22)));
        live.getSpec().setPollInterval("5s");
        HpcClusterStatus status = new HpcClusterStatus();
        status.setPhase(ClusterPhase.Ready);

        JsonNode json = Serialization.jsonMapper().valueToTree(StatusPatch.of(live, status, HpcCluster::new));

        assertThat(json.get("metadata").size()).isEqualTo(2);
        assertThat(json.get("metadata").get("name").asText()).isEqualTo("site");
        assertThat(json.get("spec") == null || json.get("spec").isEmpty()).as("spec in %s", json).isTrue();
        assertThat(json.get("status").get("phase").asText()).isEqualTo("Ready");
    }

    @Test
    void aFreshObjectSerializesToAnEmptySpec() {
        // The framework server-side-applies fresh objects to add finalizers: they must carry no spec values.
        JsonNode json = Serialization.jsonMapper().valueToTree(new HpcCluster());
        assertThat(json.get("spec") == null || json.get("spec").isEmpty()).as("spec in %s", json).isTrue();
    }

    @Test
    void statusPatchesCarryNoNullCollections() {
        // A null list is sent as JSON null, which the API server rejects ("must be of type array").
        io.hpcbridge.api.v1alpha1.Campaign live = new io.hpcbridge.api.v1alpha1.Campaign();
        live.getMetadata().setName("c");
        live.getMetadata().setNamespace("ns");
        io.hpcbridge.api.v1alpha1.CampaignStatus status = new io.hpcbridge.api.v1alpha1.CampaignStatus();
        status.setBlockedBy(null);
        status.setRecentFailures(null);
        JsonNode json = Serialization.jsonMapper().valueToTree(StatusPatch.of(live, status, io.hpcbridge.api.v1alpha1.Campaign::new));
        assertThat(json.at("/status/blockedBy").isArray()).isTrue();
        assertThat(json.at("/status/recentFailures").isArray()).isTrue();
        java.util.List<String> nulls = new java.util.ArrayList<>();
        json.at("/status").fields().forEachRemaining(e -> {
            if (e.getValue().isNull() && !e.getValue().isValueNode()) {
                nulls.add(e.getKey());
            }
            if (e.getValue().isNull() && (e.getKey().equals("blockedBy") || e.getKey().equals("recentFailures") || e.getKey().equals("conditions"))) {
                nulls.add(e.getKey());
            }
        });
        assertThat(nulls).isEmpty();
    }
}
