package io.hpcbridge.task;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import io.hpcbridge.api.v1alpha1.JobEndCause;

/** Retry classification reads the job's end cause; the reason only where no job ended. */
class FailureCategoryTest {

    @ParameterizedTest
    @CsvSource({
            "Exited,            APPLICATION",
            "Signalled,         APPLICATION",
            "TimeLimit,         RESOURCE",
            "MemoryLimit,       RESOURCE",
            "DiskLimit,         RESOURCE",
            "NodeFailure,       INFRASTRUCTURE",
            "BootFailure,       INFRASTRUCTURE",
            "Preempted,         INFRASTRUCTURE",
            "Deadline,          INFRASTRUCTURE",
            "Other,             INFRASTRUCTURE",
            "Cancelled,         CANCELLED",
            "RemovedExternally, CANCELLED",
    })
    void theEndCauseDecides(JobEndCause cause, FailureCategory expected) {
        assertThat(FailureCategory.of(cause, "whatever the reason says")).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(JobEndCause.class)
    void everyCauseIsClassified(JobEndCause cause) {
        assertThat(FailureCategory.of(cause, null)).isNotNull().isNotEqualTo(FailureCategory.PERMANENT);
    }

    /** A held job's end after heldTimeout has reason Held but cause Other: the cause, not the word, decides. */
    @ParameterizedTest
    @CsvSource({"SubmitRejected, PERMANENT", "WorkDirConflict, PERMANENT", "InvalidSubmission, PERMANENT", "SchedulerLost, INFRASTRUCTURE",
            "Cancelled, CANCELLED"})
    void withoutAnEndTheReasonDecides(String reason, FailureCategory expected) {
        assertThat(FailureCategory.of(null, reason)).isEqualTo(expected);
    }
}
