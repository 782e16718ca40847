package io.hpcbridge.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

class KubeWritesTest {
    private final KubeWrites writes = new KubeWrites();

    private static List<ConfigMap> objects(int n) {
        return IntStream.range(0, n).mapToObj(i -> new ConfigMapBuilder().withNewMetadata().withName("o" + i).endMetadata().build()).toList();
    }

    @Test
    void createsEveryObjectAndSkipsThoseThatAlreadyExist() {
        List<ConfigMap> created = writes.createAll(objects(50), o -> o.getMetadata().getName().endsWith("7") ? null : o);

        assertThat(created).hasSize(45).extracting(o -> o.getMetadata().getName()).doesNotContain("o7", "o17", "o47");
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = { 403, 404 })
    void aRefusalEveryLaterCreateWouldMeetStopsTheCreatesNotYetStarted(int code) {
        AtomicInteger calls = new AtomicInteger();
        List<ConfigMap> objects = objects(2000);

        assertThatThrownBy(() -> writes.createAll(objects, o -> {
            calls.incrementAndGet();
            throw new KubernetesClientException("namespace is being terminated", code, null);
        })).isInstanceOf(KubernetesClientException.class).extracting(e -> ((KubernetesClientException) e).getCode()).isEqualTo(code);
        // Only the creates already running when the first refusal came were sent, not 2000.
        assertThat(calls.get()).isLessThanOrEqualTo(KubeWrites.CONCURRENCY);
    }

    @Test
    void otherFailuresDoNotStopTheBatchButAreReportedAfterIt() {
        List<String> attempted = new ArrayList<>();
        List<ConfigMap> objects = objects(30);

        assertThatThrownBy(() -> writes.createAll(objects, o -> {
            synchronized (attempted) {
                attempted.add(o.getMetadata().getName());
            }
            if (o.getMetadata().getName().equals("o3")) {
                throw new KubernetesClientException("admission webhook said no", 422, null);
            }
            return o;
        })).isInstanceOf(KubernetesClientException.class);
        assertThat(attempted).hasSize(30);
    }
}
