package io.hpcbridge.gateway.slurm;

import io.hpcbridge.gateway.EndCause;
import io.hpcbridge.gateway.JobState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlurmStatesTest {

    /** Every base state and printed flag of scheduler-states.md §5.1, long and compact. */
    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource({
            // long, compact, state, end cause before the exit code is read
            "PENDING,       PD,  QUEUED,    ",
            "RUNNING,       R,   RUNNING,   ",
            "SUSPENDED,     S,   SUSPENDED, ",
            "COMPLETED,     CD,  ENDED,     EXITED",
            "CANCELLED,     CA,  ENDED,     CANCELLED",
            "FAILED,        F,   ENDED,     EXITED",
            "TIMEOUT,       TO,  ENDED,     TIME_LIMIT",
            "NODE_FAIL,     NF,  ENDED,     NODE_FAILURE",
            "PREEMPTED,     PR,  ENDED,     PREEMPTED",
            "BOOT_FAIL,     BF,  ENDED,     BOOT_FAILURE",
            "DEADLINE,      DL,  ENDED,     DEADLINE",
            "OUT_OF_MEMORY, OOM, ENDED,     MEMORY_LIMIT",
            "COMPLETING,    CG,  RUNNING,   ",
            "CONFIGURING,   CF,  QUEUED,    ",
            "STAGE_OUT,     SO,  RUNNING,   ",
            "STOPPED,       ST,  RUNNING,   ",
            "RESIZING,      RS,  RUNNING,   ",
            "REQUEUED,      RQ,  QUEUED,    ",
            "REQUEUE_FED,   RF,  QUEUED,    ",
            "REQUEUE_HOLD,  RH,  QUEUED,    ",
            "SPECIAL_EXIT,  SE,  QUEUED,    ",
            "REVOKED,       RV,  UNKNOWN,   ",
            "RESV_DEL_HOLD, RD,  QUEUED,    ",
            "SIGNALING,     SI,  RUNNING,   ",
            "EXPEDITING,    ,    QUEUED,    ",
    })
    void mapsEveryState(String longWord, String compact, JobState expected, EndCause cause) {
        assertThat(SlurmStates.state(longWord)).isEqualTo(expected);
        assertThat(SlurmStates.endCause(longWord, SlurmStates.Exit.NONE)).isEqualTo(cause);
        assertThat(SlurmStates.state(" " + longWord + " ")).isEqualTo(expected);
        if (compact != null) {
            assertThat(SlurmStates.state(compact)).isEqualTo(expected);
            assertThat(SlurmStates.endCause(compact, SlurmStates.Exit.NONE)).isEqualTo(cause);
        }
    }

    @ParameterizedTest(name = "{0} -> {1} ({2})")
    @CsvSource(delimiter = ';', value = {
            "CANCELLED by 1001; ENDED;   cancelled by uid 1001",
            "CANCELLED by 0;    ENDED;   cancelled by uid 0",
            "CANCELLED+;        ENDED;   ",
            "CANCELLED;         ENDED;   ",
            "RUNNING;           RUNNING; ",
    })
    void cancelledBy(String raw, JobState state, String detail) {
        assertThat(SlurmStates.state(raw)).isEqualTo(state);
        assertThat(SlurmStates.cancelledBy(raw)).isEqualTo(detail);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "WAITING", "LAUNCH_FAILED", "POWER_UP_NODE", "UPDATE_DB", "GETENV_FAILED", "X",
            "COMPLETED_ISH", "Idle", "?"})
    void unknownWordsAreUnknownAndNeverTerminal(String word) {
        assertThat(SlurmStates.state(word)).isEqualTo(JobState.UNKNOWN);
        assertThat(SlurmStates.endCause(word, SlurmStates.Exit.NONE)).isNull();
        assertThat(SlurmStates.state(null)).isEqualTo(JobState.UNKNOWN);
    }

    @ParameterizedTest(name = "{0} -> code {1}, signal {2}")
    @CsvSource({
            "0:0,   0,   ",
            "3:0,   3,   ",
            "1:0,   1,   ",
            "0:9,   ,    9",
            "0:15,  ,    15",
            "137:0, 137, ",
            "255:0, 255, ",
            "' 2:0 ', 2, ",
    })
    void exitCodes(String value, Integer code, Integer signal) {
        SlurmStates.Exit exit = SlurmStates.parseExitCode(value);
        assertThat(exit.code()).isEqualTo(code);
        assertThat(exit.signal()).isEqualTo(signal);
        assertThat(exit.success()).isEqualTo(code != null && code == 0 && signal == null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void blankExitCodeIsNone(String value) {
        assertThat(SlurmStates.parseExitCode(value)).isEqualTo(SlurmStates.Exit.NONE);
        assertThat(SlurmStates.parseExitCode(null)).isEqualTo(SlurmStates.Exit.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0:", ":0", "a:b", "0:0:0", "-1:0", "1:-9", "0;0", "0 :0", "N/A", "123456:0"})
    void garbledExitCodesThrow(String value) {
        assertThatThrownBy(() -> SlurmStates.parseExitCode(value)).isInstanceOf(IllegalArgumentException.class);
    }

    /** COMPLETED and FAILED are an exit, or a signal when the exit code names one; the other ends keep their cause. */
    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
            "COMPLETED,      0:0,   EXITED",
            "COMPLETED,      '',    EXITED",
            "COMPLETED,      3:0,   EXITED",
            "COMPLETED,      137:0, EXITED",
            "COMPLETED,      0:9,   SIGNALLED",
            "CD,             1:0,   EXITED",
            "FAILED,         0:0,   OTHER", // contradicts itself: never a success
            "FAILED,         1:0,   EXITED",
            "FAILED,         0:9,   SIGNALLED",
            "CANCELLED by 5, 0:15,  CANCELLED",
            "TIMEOUT,        0:15,  TIME_LIMIT",
            "OUT_OF_MEMORY,  0:125, MEMORY_LIMIT",
            "OUT_OF_MEMORY,  0:9,   MEMORY_LIMIT",
            "NODE_FAIL,      1:0,   NODE_FAILURE",
            "RUNNING,        0:0,   ",
            "PENDING,        0:0,   ",
    })
    void endCauseWithExit(String raw, String exitCode, EndCause expected) {
        assertThat(SlurmStates.endCause(raw, SlurmStates.parseExitCode(exitCode))).isEqualTo(expected);
    }
}
