package io.hpcbridge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.hpcbridge.gateway.BatchScheduler;
import io.hpcbridge.gateway.FakeRemoteShell;
import io.hpcbridge.gateway.JobIdentity;
import io.hpcbridge.gateway.JobObservation;
import io.hpcbridge.gateway.PollResult;
import io.hpcbridge.gateway.RemoteException;
import io.hpcbridge.gateway.RemoteShell;
import io.hpcbridge.gateway.EndCause;
import io.hpcbridge.gateway.JobState;
import io.hpcbridge.gateway.ResourceRequest;
import io.hpcbridge.gateway.SubmitOutcome;
import io.hpcbridge.gateway.SubmitRequest;
import io.hpcbridge.gateway.TrackedJob;
import io.hpcbridge.metrics.OperatorMetrics;
import io.hpcbridge.ssh.HostKeyException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

class ClusterSessionTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    /** A scheduler whose next poll answer (or failure) the test sets. */
    static class StubScheduler implements BatchScheduler {
        PollResult next = new PollResult(Map.of(), 0, true);
        RemoteException failure;
        final List<List<String>> cancelled = new ArrayList<>();
        int polls;

        @Override
        public String version(RemoteShell shell) {
            return "22.05.8";
        }

        @Override
        public List<String> validate(ResourceRequest request) {
            return List.of();
        }

        @Override
        public List<SubmitOutcome> submit(RemoteShell shell, List<SubmitRequest> requests) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<JobObservation> findByIdentity(RemoteShell shell, JobIdentity identity, Instant since) {
            return List.of();
        }

        @Override
        public PollResult poll(RemoteShell shell, Collection<TrackedJob> jobs) throws RemoteException {
            polls++;
            if (failure != null) {
                throw failure;
            }
            return next;
        }

        RemoteException cancelFailure;

        @Override
        public void cancel(RemoteShell shell, Collection<String> jobIds) throws RemoteException {
            if (cancelFailure != null) {
                RemoteException f = cancelFailure;
                cancelFailure = null;
                throw f;
            }
            cancelled.add(List.copyOf(jobIds));
        }
    }

    private final StubScheduler scheduler = new StubScheduler();
    private final FakeRemoteShell shell = new FakeRemoteShell();
    private final List<ResourceID> signalled = new ArrayList<>();
    private final List<String> healthSignals = new ArrayList<>();
    private Instant now = T0;
    private ClusterSession session;

    @BeforeEach
    void setUp() {
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        shell.onOk("sh", "");
        session = new ClusterSession("ns/c", io.hpcbridge.api.v1alpha1.SchedulerType.SLURM, scheduler, shell, () -> {
        }, Duration.ofSeconds(5), clock, signalled::add, healthSignals::add, OperatorMetrics.noop());
    }

    private static ResourceID attempt(String name) {
        return new ResourceID(name, "ns");
    }

    private void follow(String jobId, String attempt) {
        session.follow(new TrackedJob(jobId, JobIdentity.of("ns", attempt, "uid-" + attempt), T0), attempt(attempt),
                "/w/" + attempt + "/exitcode");
    }

    private static JobObservation running(String id) {
        return new JobObservation(id, JobState.RUNNING, null, "RUNNING", null, null, null, null, null, T0, T0, null, false);
    }

    @Test
    void aFailedPollChangesNoViewAndSignalsNoAttempt() {
        follow("1", "a-1");
        scheduler.next = new PollResult(Map.of("1", running("1")), 1, true);
        session.pollOnce();
        JobView seen = session.view("1");
        signalled.clear();

        scheduler.failure = new RemoteException("Connection reset");
        now = T0.plusSeconds(5);
        session.pollOnce();

        assertThat(session.view("1")).isEqualTo(seen);
        assertThat(signalled).isEmpty();
    }

    @Test
    void unreachableOnlyAfterThreeFailedPollsAndBackAfterOneGoodOne() {
        session.pollOnce();
        assertThat(session.health().reachable()).isTrue();
        scheduler.failure = new RemoteException("Connection refused");
        session.pollOnce();
        session.pollOnce();
        assertThat(session.health().reachable()).isTrue();
        session.pollOnce();
        assertThat(session.health().reachable()).isFalse();
        assertThat(session.health().failureReason()).isEqualTo("PollFailed");
        assertThat(session.health().consecutiveFailures()).isEqualTo(3);

        scheduler.failure = null;
        session.pollOnce();
        assertThat(session.health().reachable()).isTrue();
        assertThat(session.health().consecutiveFailures()).isZero();
    }

    @Test
    void aHostKeyRefusalIsUnreachableAtOnce() {
        scheduler.failure = new HostKeyException(HostKeyException.Kind.HostKeyMismatch, "host key of 127.0.0.1 does not match");
        session.pollOnce();
        assertThat(session.health().reachable()).isFalse();
        assertThat(session.health().failureReason()).isEqualTo("HostKeyMismatch");
    }

    @Test
    void theMissingRunKeepsItsStartAndOnlyTheFirstMissSignals() {
        follow("1", "a-1");
        session.pollOnce();
        signalled.clear();
        now = T0.plusSeconds(5);
        session.pollOnce();
        now = T0.plusSeconds(10);
        session.pollOnce();

        JobView v = session.view("1");
        assertThat(v.kind()).isEqualTo(JobView.Kind.MISSING);
        assertThat(v.missingSince()).isEqualTo(T0);
        assertThat(v.asOf()).isEqualTo(T0.plusSeconds(10));
        assertThat(signalled).isEmpty();
    }

    @Test
    void withoutAccountingAMissingJobIsUnconfirmedAndTheGraceStartsWhenAccountingAnswers() {
        follow("1", "a-1");
        scheduler.next = new PollResult(Map.of(), 0, false);
        session.pollOnce();
        now = T0.plusSeconds(3600);
        session.pollOnce();
        assertThat(session.view("1").missingSince()).isNull();

        scheduler.next = new PollResult(Map.of(), 0, true);
        now = T0.plusSeconds(3605);
        session.pollOnce();
        assertThat(session.view("1").missingSince()).isEqualTo(T0.plusSeconds(3605));
    }

    @Test
    void exitCodeFilesOfJobsNotLiveInTheQueueAreReadInOneCommand() {
        follow("1", "a-1");
        follow("2", "b-1");
        follow("3", "c-1");
        shell.onOk("sh", "/w/b-1/exitcode|3\n/w/c-1/exitcode|0\n");
        scheduler.next = new PollResult(Map.of("1", running("1")), 1, false);

        session.pollOnce();

        List<List<String>> reads = shell.callsTo("sh");
        assertThat(reads).hasSize(1);
        assertThat(reads.get(0)).contains("/w/b-1/exitcode", "/w/c-1/exitcode").doesNotContain("/w/a-1/exitcode");
        assertThat(session.view("2").exitFileCode()).isEqualTo(3);
        assertThat(session.view("3").exitFileCode()).isZero();
        assertThat(session.view("1").exitFileCode()).isNull();
    }

    @Test
    void cancelsGoOutTogetherWithTheNextPollAndOnce() {
        follow("1", "a-1");
        follow("2", "b-1");
        session.requestCancel("1");
        session.requestCancel("2");

        session.pollOnce();
        session.pollOnce();

        assertThat(scheduler.cancelled).hasSize(1);
        assertThat(scheduler.cancelled.get(0)).containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void aCancelAskedAgainSoonAfterItWentOutIsNotSentTwiceButALostOneIsSentAgainLater() {
        follow("1", "a-1");
        follow("2", "b-1");
        session.requestCancel("1");
        session.pollOnce();
        // The attempt asks again on its next reconcile, before the job's end is seen; a new cancel (2) goes out alone.
        now = now.plusSeconds(2);
        session.requestCancel("1");
        session.requestCancel("2");
        session.pollOnce();
        now = now.plusSeconds(5);
        session.requestCancel("1");
        session.pollOnce();

        assertThat(scheduler.cancelled).containsExactly(List.of("1"), List.of("2"));

        // The job still runs 30 s after its cancel (three 5 s polls would be 15 s; 30 s is the least): it is sent again.
        now = T0.plusSeconds(30);
        session.requestCancel("1");
        session.pollOnce();

        assertThat(session.cancelResend()).isEqualTo(Duration.ofSeconds(30));
        assertThat(scheduler.cancelled).containsExactly(List.of("1"), List.of("2"), List.of("1"));
    }

    @Test
    void aCancelWhoseScancelFailedGoesOutWithTheNextPoll() {
        follow("1", "a-1");
        session.requestCancel("1");
        scheduler.cancelFailure = new RemoteException("connection reset");
        session.pollOnce();
        assertThat(scheduler.cancelled).isEmpty();

        now = now.plusSeconds(5);
        session.pollOnce();

        assertThat(scheduler.cancelled).containsExactly(List.of("1"));
    }

    @Test
    void anUnfollowedJobIsNeitherPolledNorSignalled() {
        follow("1", "a-1");
        session.unfollow("1");
        session.pollOnce();
        assertThat(signalled).isEmpty();
        assertThat(session.view("1").kind()).isEqualTo(JobView.Kind.NOT_YET_POLLED);
    }
}
