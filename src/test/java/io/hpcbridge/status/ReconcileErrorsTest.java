package io.hpcbridge.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;

class ReconcileErrorsTest {
    private static Optional<RetryInfo> retry(int attempt, boolean last) {
        return Optional.of(new RetryInfo() {
            @Override
            public int getAttemptCount() {
                return attempt;
            }

            @Override
            public boolean isLastAttempt() {
                return last;
            }
        });
    }

    private static final KubernetesClientException FORBIDDEN = new KubernetesClientException(new StatusBuilder().withCode(403)
            .withMessage("taskattempts.hpcbridge.io is forbidden: User \"system:serviceaccount:ops:hpcb\" cannot create resource \"taskattempts\"")
            .build());

    @ParameterizedTest(name = "attempt {0}, last {1}: event {2}")
    @CsvSource({
            "1, false, true",
            "2, false, false",
            "4, false, false",
            "5, true,  true",
            "1, true,  true",
    })
    void anEventWhenFailuresStartAndWhenRetriesAreUsedUpOnly(int attempt, boolean last, boolean expected) {
        Optional<String> message = ReconcileErrors.eventMessage(FORBIDDEN, retry(attempt, last));

        assertThat(message.isPresent()).isEqualTo(expected);
        message.ifPresent(m -> assertThat(m).contains(last ? "retries used up" : "retrying with backoff"));
    }

    @Test
    void theFirstFailureHasNoRetryInfoYet() {
        assertThat(ReconcileErrors.eventMessage(FORBIDDEN, Optional.empty())).get().asString()
                .startsWith("the operator could not reconcile this object: HTTP 403: taskattempts.hpcbridge.io is forbidden")
                .endsWith("(retrying with backoff)");
    }

    @Test
    void theApiServersWordsAreFoundBehindWrappers() {
        RuntimeException wrapped = new IllegalStateException("while creating attempts", new RuntimeException(FORBIDDEN));

        assertThat(ReconcileErrors.detail(wrapped)).startsWith("HTTP 403: taskattempts.hpcbridge.io is forbidden");
    }

    @Test
    void otherExceptionsAreNamedAndLongMessagesCut() {
        assertThat(ReconcileErrors.detail(new IllegalArgumentException("bad"))).isEqualTo("IllegalArgumentException: bad");
        assertThat(ReconcileErrors.detail(new NullPointerException())).isEqualTo("NullPointerException");
        String detail = ReconcileErrors.detail(new IllegalStateException("x".repeat(5000)));
        assertThat(detail).hasSize(ReconcileErrors.MAX_DETAIL + 1).endsWith("…");
    }
}
