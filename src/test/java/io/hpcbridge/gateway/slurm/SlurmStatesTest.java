package io.hpcbridge.gateway.slurm;

import io.hpcbridge.gateway.RemoteState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlurmStatesTest {

    /** Every base state and printed flag of scheduler-states.md §5.1, long and compact. */
    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource({
            // long, compact, state, terminal
            "PENDING,       PD,  QUEUED,        false",
            "RUNNING,       R,   RUNNING,       false",
            "SUSPENDED,     S,   RUNNING,       false",
            "COMPLETED,     CD,  COMPLETED,     true",
            "CANCELLED,     CA,  CANCELLED,     true",
            "FAILED,        F,   FAILED,        true",
            "TIMEOUT,       TO,  TIMEOUT,       true",
            "NODE_FAIL,     NF,  NODE_FAIL,     true",
            "PREEMPTED,     PR,  PREEMPTED,     true",
            "BOOT_FAIL,     BF,  BOOT_FAIL,     true",
            "DEADLINE,      DL,  DEADLINE,      true",
            "OUT_OF_MEMORY, OOM, OUT_OF_MEMORY, true",
            "COMPLETING,    CG,  RUNNING,       false",
            "CONFIGURING,   CF,  QUEUED,        false",
            "STAGE_OUT,     SO,  RUNNING,       false",
            "STOPPED,       ST,  RUNNING,       false",
            "RESIZING,      RS,  RUNNING,       false",
            "REQUEUED,      RQ,  QUEUED,        false",
            "REQUEUE_FED,   RF,  QUEUED,        false",
            "REQUEUE_HOLD,  RH,  QUEUED,        false",
            "SPECIAL_EXIT,  SE,  QUEUED,        false",
            "REVOKED,       RV,  UNKNOWN,       false",
            "RESV_DEL_HOLD, RD,  QUEUED,        false",
            "SIGNALING,     SI,  RUNNING,       false",
            "EXPEDITING,    ,    QUEUED,        false",
    })
    void mapsEveryState(String longWord, String compact, RemoteState expected, boolean terminal) {
        assertThat(SlurmStates.map(longWord)).isEqualTo(expected);
        assertThat(SlurmStates.map(longWord).isTerminal()).isEqualTo(terminal);
        assertThat(SlurmStates.map(" " + longWord + " ")).isEqualTo(expected);
        if (compact != null) {
            assertThat(SlurmStates.map(compact)).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0} -> {1} ({2})")
    @CsvSource(delimiter = ';', value = {
            "CANCELLED by 1001; CANCELLED; cancelled by uid 1001",
            "CANCELLED by 0;    CANCELLED; cancelled by uid 0",
            "CANCELLED+;        CANCELLED; ",
            "CANCELLED;         CANCELLED; ",
            "RUNNING;           RUNNING;   ",
    })
    void cancelledBy(String raw, RemoteState state, String detail) {
        assertThat(SlurmStates.map(raw)).isEqualTo(state);
        assertThat(SlurmStates.cancelledBy(raw)).isEqualTo(detail);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "WAITING", "LAUNCH_FAILED", "POWER_UP_NODE", "UPDATE_DB", "GETENV_FAILED", "X",
            "COMPLETED_ISH", "Idle", "?"})
    void unknownWordsAreUnknownAndNeverTerminal(String word) {
        assertThat(SlurmStates.map(word)).isEqualTo(RemoteState.UNKNOWN);
        assertThat(SlurmStates.map(word).isTerminal()).isFalse();
        assertThat(SlurmStates.map((String) null)).isEqualTo(RemoteState.UNKNOWN);
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

    /** Success needs both: COMPLETED with a non-zero exit or a signal is a failure. */
    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
            "COMPLETED,     0:0,   COMPLETED",
            "COMPLETED,     '',    COMPLETED",
            "COMPLETED,     3:0,   FAILED",
            "COMPLETED,     137:0, FAILED",
            "COMPLETED,     0:9,   FAILED",
            "CD,            1:0,   FAILED",
            "FAILED,        0:0,   FAILED",
            "FAILED,        1:0,   FAILED",
            "CANCELLED by 5, 0:15, CANCELLED",
            "TIMEOUT,       0:15,  TIMEOUT",
            "OUT_OF_MEMORY, 0:125, OUT_OF_MEMORY",
            "OUT_OF_MEMORY, 0:9,   OUT_OF_MEMORY",
            "NODE_FAIL,     1:0,   NODE_FAIL",
            "RUNNING,       0:0,   RUNNING",
            "PENDING,       0:0,   QUEUED",
    })
    void stateWithExit(String raw, String exitCode, RemoteState expected) {
        assertThat(SlurmStates.map(raw, SlurmStates.parseExitCode(exitCode))).isEqualTo(expected);
    }
}
