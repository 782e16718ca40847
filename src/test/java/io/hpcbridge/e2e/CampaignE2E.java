package io.hpcbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.Campaign;
import io.hpcbridge.api.v1alpha1.CampaignPhase;
import io.hpcbridge.api.v1alpha1.ProcessingBlock;
import io.hpcbridge.api.v1alpha1.Task;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskPhase;

/**
 * The examples, run by the real operator process on the real API server, real Slurm with accounting and a real sshd
 * login node. Facts are checked on the cluster itself (sacct, files, the command log), not only in statuses.
 */
class CampaignE2E {
    private static final String WAIT = "--timeout=240s";
    private static TestNamespace ns;
    private static LoginNode login;

    @BeforeAll
    static void runExamples() {
        OperatorProcess.shared();
        login = LoginNode.fromStack();
        ns = TestNamespace.create("e2e-camp");
        // All three at once: they are independent and the cluster runs jobs side by side.
        for (String f : List.of("examples/02-campaign-hello.yaml", "examples/03-campaign-failing.yaml", "examples/04-campaign-cycle.yaml")) {
            ns.kubectl().apply(new File(f)).orFail();
        }
    }

    @AfterAll
    static void cleanUp() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void helloSucceedsOnSlurmWithOneJobPerAttempt() {
        assertThat(ns.kubectl().run("wait", "--for=condition=Succeeded", WAIT, "campaign/hello").exitCode())
                .as("kubectl wait --for=condition=Succeeded campaign/hello").isZero();

        Campaign hello = ns.get("campaign", "hello", Campaign.class);
        assertThat(hello.getStatus().getPhase()).isEqualTo(CampaignPhase.Succeeded);
        assertThat(hello.getStatus().getTasks().getSucceeded()).isEqualTo(3);
        assertThat(hello.getStatus().getObservedGeneration()).isEqualTo(hello.getMetadata().getGeneration());

        List<Task> tasks = ns.list("htask", "hpcbridge.io/campaign=hello", Task.class);
        assertThat(tasks).extracting(t -> t.getSpec().getTaskName()).containsExactlyInAnyOrder("prepare-a", "prepare-b", "combine");
        assertThat(tasks).allSatisfy(t -> assertThat(t.getStatus().getPhase()).isEqualTo(TaskPhase.Succeeded));

        List<TaskAttempt> attempts = ns.list("hatt", "hpcbridge.io/campaign=hello", TaskAttempt.class);
        assertThat(attempts).hasSize(3);
        for (TaskAttempt a : attempts) {
            assertThat(a.getStatus().getPhase()).isEqualTo(AttemptPhase.Succeeded);
            assertThat(a.getStatus().getExitCode()).isZero();
            assertThat(a.getStatus().getJobId()).matches("[0-9]+");
            // Accounting on the cluster agrees, independently of the operator.
            assertThat(login.sacctStateAndExit(a.getStatus().getJobId())).isEqualTo("COMPLETED|0:0");
        }
        // combine ran only after both of its dependencies had succeeded.
        Map<String, TaskAttempt> byTask = attempts.stream().collect(Collectors.toMap(a -> a.getSpec().getTaskName(), a -> a));
        assertThat(byTask.get("combine").getStatus().getSubmittedAt())
                .isGreaterThanOrEqualTo(byTask.get("prepare-a").getStatus().getFinishedAt())
                .isGreaterThanOrEqualTo(byTask.get("prepare-b").getStatus().getFinishedAt());

        ProcessingBlock block = ns.get("pblock", "hello-results", ProcessingBlock.class);
        assertThat(block.getStatus().getTotalTasks()).isEqualTo(1);
        assertThat(block.getStatus().getCompletedTasks()).isEqualTo(1);
    }

    @Test
    void everyAttemptHasItsOwnWorkDirectoryWithScriptStdoutAndStderr() {
        ns.kubectl().run("wait", "--for=condition=Succeeded", WAIT, "campaign/hello").orFail();
        List<TaskAttempt> attempts = ns.list("hatt", "hpcbridge.io/campaign=hello", TaskAttempt.class);
        assertThat(attempts).extracting(a -> a.getSpec().getWorkDir()).doesNotHaveDuplicates();
        for (TaskAttempt a : attempts) {
            String dir = a.getSpec().getWorkDir();
            assertThat(dir).isEqualTo(StackEnv.load().require("HPCB_WORK_ROOT") + "/" + ns.name() + "/hello/"
                    + a.getSpec().getTaskName() + "/" + a.getSpec().getIndex());
            assertThat(a.getStatus().getStdoutPath()).isEqualTo(dir + "/stdout");
            assertThat(a.getStatus().getStderrPath()).isEqualTo(dir + "/stderr");
            LoginNode.Result files = login.exec("cd " + dir + " && test -f script && test -f stdout && test -f stderr && cat stdout && cat stderr");
            assertThat(files.ok()).as("files in %s: %s", dir, files.stderr()).isTrue();
            assertThat(files.stdout()).contains(a.getSpec().getTaskName());
        }
        LoginNode.Result a = login.exec("cat " + attempts.stream().filter(x -> x.getSpec().getTaskName().equals("prepare-a"))
                .findFirst().orElseThrow().getSpec().getWorkDir() + "/a.txt");
        assertThat(a.stdout().strip()).isEqualTo("hello from a");
    }

    @Test
    void failingTaskEndsFailedWithExitCodeThreeConfirmedBySacctAndItsDownstreamIsSkipped() {
        assertThat(ns.kubectl().run("wait", "--for=condition=Failed", WAIT, "campaign/failing").exitCode()).isZero();
        TaskAttempt breaks = ns.get("hatt", "failing-breaks-1", TaskAttempt.class);
        assertThat(breaks.getStatus().getPhase()).isEqualTo(AttemptPhase.Failed);
        assertThat(breaks.getStatus().getExitCode()).isEqualTo(3);
        assertThat(breaks.getStatus().getReason()).isEqualTo("NonZeroExit");
        assertThat(login.sacctStateAndExit(breaks.getStatus().getJobId())).isEqualTo("FAILED|3:0");

        Task after = ns.get("htask", "failing-after-break", Task.class);
        assertThat(after.getStatus().getPhase()).isEqualTo(TaskPhase.Skipped);
        assertThat(after.getStatus().getReason()).isEqualTo("UpstreamFailed");
        assertThat(after.getStatus().getMessage()).contains("breaks");
        assertThat(ns.list("hatt", "hpcbridge.io/campaign=failing,hpcbridge.io/task=after-break", TaskAttempt.class)).isEmpty();
        // The independent branch is not held back by the failure.
        assertThat(ns.get("htask", "failing-independent", Task.class).getStatus().getPhase()).isEqualTo(TaskPhase.Succeeded);

        Campaign failing = ns.get("campaign", "failing", Campaign.class);
        assertThat(failing.getStatus().getPhase()).isEqualTo(CampaignPhase.Failed);
        Condition failed = condition(failing.getStatus().getConditions(), "Failed");
        assertThat(failed.getStatus()).isEqualTo("True");
        assertThat(failed.getMessage()).contains("task breaks failed (NonZeroExit)", "exited with code 3", "1 downstream task(s) skipped");
    }

    @Test
    void cyclicCampaignIsNotAcceptedAndNothingIsSubmitted() {
        ns.kubectl().run("wait", "--for=condition=Accepted=false", "--timeout=60s", "campaign/cyclic").orFail();
        Campaign cyclic = ns.get("campaign", "cyclic", Campaign.class);
        Condition accepted = condition(cyclic.getStatus().getConditions(), "Accepted");
        assertThat(accepted.getReason()).isEqualTo("DependencyCycle");
        assertThat(accepted.getMessage()).matches(".*dependency cycle: ([a-z]+) -> [a-z]+ -> [a-z]+ -> \\1.*");
        assertThat(ns.list("htask", "hpcbridge.io/campaign=cyclic", Task.class)).isEmpty();
        // Checked on the login node: no sbatch ever named a job of this campaign, and accounting has none.
        String jobPrefix = "hpcb." + ns.name() + ".cyclic-";
        assertThat(login.commandLog()).noneMatch(l -> l.contains("sbatch") && l.contains(jobPrefix));
        assertThat(login.exec("sacct -X -n -P -S now-1hour -o JobName").stdout()).doesNotContain(jobPrefix);
    }

    @Test
    void reapplyingTheManifestsChangesNothing() {
        ns.kubectl().run("wait", "--for=condition=Completed", WAIT, "campaign/hello", "campaign/failing").orFail();
        for (String f : List.of("examples/01-hpccluster.yaml", "examples/02-campaign-hello.yaml", "examples/03-campaign-failing.yaml",
                "examples/04-campaign-cycle.yaml")) {
            Kubectl.Result r = ns.kubectl().apply(new File(f)).orFail();
            assertThat(r.stdout().lines().toList()).as("kubectl apply -f %s", f).isNotEmpty()
                    .allSatisfy(line -> assertThat(line).endsWith(" unchanged"));
        }
        // The operator wrote no labels, annotations or finalizers onto the user's objects.
        Campaign hello = ns.get("campaign", "hello", Campaign.class);
        assertThat(hello.getMetadata().getLabels()).isNullOrEmpty();
        assertThat(hello.getMetadata().getAnnotations()).containsOnlyKeys("kubectl.kubernetes.io/last-applied-configuration");
    }

    private static Condition condition(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type + " in " + conditions));
    }
}
