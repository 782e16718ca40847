package io.hpcbridge.campaign;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.hpcbridge.api.v1alpha1.Backoff;
import io.hpcbridge.api.v1alpha1.CampaignDefaults;
import io.hpcbridge.api.v1alpha1.CampaignSpec;
import io.hpcbridge.api.v1alpha1.CampaignTask;
import io.hpcbridge.api.v1alpha1.ClassAdAttribute;
import io.hpcbridge.api.v1alpha1.EnvVar;
import io.hpcbridge.api.v1alpha1.Escalation;
import io.hpcbridge.api.v1alpha1.HtcondorResources;
import io.hpcbridge.api.v1alpha1.NameReference;
import io.hpcbridge.api.v1alpha1.ProcessingBlockTemplate;
import io.hpcbridge.api.v1alpha1.Resources;
import io.hpcbridge.api.v1alpha1.RetryPolicy;
import io.hpcbridge.api.v1alpha1.RetryStrategy;
import io.hpcbridge.api.v1alpha1.SbatchOption;
import io.hpcbridge.api.v1alpha1.SbatchOptionName;
import io.hpcbridge.api.v1alpha1.SlurmResources;
import io.hpcbridge.api.v1alpha1.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;

class CampaignPlanTest {

    // ---- factories -------------------------------------------------------------------------------------------------

    private static CampaignTask task(String name, String... deps) {
        CampaignTask t = new CampaignTask();
        t.setName(name);
        t.setScript("echo " + name);
        t.setDependsOn(new ArrayList<>(Arrays.asList(deps)));
        return t;
    }

    private static CampaignSpec spec(CampaignTask... tasks) {
        CampaignSpec s = new CampaignSpec();
        s.setClusterRef(new NameReference("hpc"));
        s.setTasks(new ArrayList<>(Arrays.asList(tasks)));
        return s;
    }

    private static ProcessingBlockTemplate block(String name) {
        ProcessingBlockTemplate b = new ProcessingBlockTemplate();
        b.setName(name);
        return b;
    }

    private static Resources with(java.util.function.Consumer<Resources> edit) {
        Resources r = new Resources();
        edit.accept(r);
        return r;
    }

    private static SlurmResources slurm(java.util.function.Consumer<SlurmResources> edit) {
        SlurmResources s = new SlurmResources();
        edit.accept(s);
        return s;
    }

    private static HtcondorResources htcondor(ClassAdAttribute... attributes) {
        HtcondorResources h = new HtcondorResources();
        h.setAttributes(new ArrayList<>(Arrays.asList(attributes)));
        return h;
    }

    private static ClassAdAttribute attribute(String name, String value) {
        return new ClassAdAttribute(name, value);
    }

    private static Resources resources(Integer cpus, String memory, String time) {
        Resources r = new Resources();
        r.setCpus(cpus);
        r.setMemory(memory);
        r.setTime(time);
        return r;
    }

    private static RetryStrategy retry(Integer limit, RetryPolicy policy, Backoff backoff) {
        RetryStrategy r = new RetryStrategy();
        r.setLimit(limit);
        r.setRetryPolicy(policy);
        r.setBackoff(backoff);
        return r;
    }

    private static Backoff backoff(String duration, Integer factor) {
        Backoff b = new Backoff();
        b.setDuration(duration);
        b.setFactor(factor);
        return b;
    }

    private static List<String> names(CampaignPlan plan) {
        return plan.tasks().stream().map(TaskSpec::getTaskName).toList();
    }

    private static List<String> reasons(CampaignPlan plan) {
        return plan.problems().stream().map(PlanProblem::reason).toList();
    }

    // ---- acceptance and order --------------------------------------------------------------------------------------

    @Test
    void acceptsDiamondAndOrdersEveryTaskAfterItsDependencies() {
        // written in reverse so spec order is not already a valid order
        CampaignPlan plan = CampaignPlan.of("c", spec(
                task("join", "left", "right"),
                task("left", "root"),
                task("right", "root"),
                task("root")));

        assertThat(plan.accepted()).isTrue();
        assertThat(plan.problems()).isEmpty();
        assertThat(names(plan)).containsExactly("root", "left", "right", "join");
        List<String> order = names(plan);
        for (TaskSpec t : plan.tasks()) {
            for (String dep : t.getDependsOn()) {
                assertThat(order.indexOf(dep)).as("%s after %s", t.getTaskName(), dep).isLessThan(order.indexOf(t.getTaskName()));
            }
        }
    }

    @Test
    void independentTasksKeepSpecOrder() {
        CampaignPlan plan = CampaignPlan.of("c", spec(task("zeta"), task("alpha"), task("mid", "zeta"), task("beta")));

        assertThat(names(plan)).containsExactly("zeta", "alpha", "mid", "beta");
    }

    @Test
    void longChainIsOrderedCompletely() {
        List<CampaignTask> tasks = new ArrayList<>();
        for (int i = 199; i >= 0; i--) {
            tasks.add(i == 0 ? task("t0") : task("t" + i, "t" + (i - 1)));
        }
        CampaignPlan plan = CampaignPlan.of("c", spec(tasks.toArray(CampaignTask[]::new)));

        assertThat(plan.accepted()).isTrue();
        assertThat(names(plan)).hasSize(200).startsWith("t0", "t1", "t2").endsWith("t199");
    }

    @Test
    void resolvedTaskCarriesCampaignClusterScriptEnvAndBlock() {
        CampaignTask t = task("a");
        t.setScript("#!/bin/sh\necho hi\n");
        t.setEnv(new ArrayList<>(List.of(new EnvVar("X", "1"), new EnvVar("Y", "it's"))));
        t.setProcessingBlock("blk");
        CampaignSpec s = spec(t);
        s.setProcessingBlocks(List.of(block("blk")));

        TaskSpec r = CampaignPlan.of("camp", s).tasks().get(0);

        assertThat(r.getCampaign()).isEqualTo("camp");
        assertThat(r.getTaskName()).isEqualTo("a");
        assertThat(r.getClusterRef().getName()).isEqualTo("hpc");
        assertThat(r.getScript()).isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(r.getEnv()).extracting(EnvVar::getName, EnvVar::getValue).containsExactly(tuple("X", "1"), tuple("Y", "it's"));
        assertThat(r.getProcessingBlock()).isEqualTo("blk");
        assertThat(r.getResources()).isNull();
        assertThat(r.getRetryStrategy()).isNull();
    }

    @Test
    void resolvedTaskDoesNotShareMutableStateWithTheSpec() {
        CampaignTask t = task("a");
        t.setEnv(new ArrayList<>(List.of(new EnvVar("X", "1"))));
        CampaignSpec s = spec(t, task("b", "a"));

        CampaignPlan plan = CampaignPlan.of("c", s);
        t.getEnv().get(0).setValue("changed");
        s.getClusterRef().setName("other");

        assertThat(plan.tasks().get(0).getEnv().get(0).getValue()).isEqualTo("1");
        assertThat(plan.tasks().get(0).getClusterRef().getName()).isEqualTo("hpc");
    }

    @Test
    void duplicateDependenciesAreCollapsedInOrder() {
        CampaignPlan plan = CampaignPlan.of("c", spec(task("a"), task("b"), task("x", "b", "a", "b", "a")));

        assertThat(plan.tasks().get(2).getDependsOn()).containsExactly("b", "a");
    }

    // ---- rejections ------------------------------------------------------------------------------------------------

    static Stream<Arguments> rejected() {
        CampaignTask noScript = task("a");
        noScript.setScript("   ");
        CampaignTask badBlock = task("a");
        badBlock.setProcessingBlock("nope");
        return Stream.of(
                Arguments.of("duplicate task", spec(task("a"), task("b"), task("a")),
                        PlanProblem.DUPLICATE_TASK_NAME, List.of("'a'", "more than once")),
                Arguments.of("unknown dependency", spec(task("a"), task("b", "a", "ghost")),
                        PlanProblem.UNKNOWN_DEPENDENCY, List.of("task 'b'", "'ghost'")),
                Arguments.of("self dependency", spec(task("a", "a")),
                        PlanProblem.DEPENDENCY_CYCLE, List.of("dependency cycle: a -> a")),
                Arguments.of("two-cycle", spec(task("a", "b"), task("b", "a")),
                        PlanProblem.DEPENDENCY_CYCLE, List.of("dependency cycle: a -> b -> a")),
                Arguments.of("three-cycle", spec(task("a", "b"), task("b", "c"), task("c", "a")),
                        PlanProblem.DEPENDENCY_CYCLE, List.of("dependency cycle: a -> b -> c -> a")),
                Arguments.of("cycle behind a tail", spec(task("root"), task("x", "root", "y"), task("y", "z"), task("z", "x")),
                        PlanProblem.DEPENDENCY_CYCLE, List.of("dependency cycle: x -> y -> z -> x")),
                Arguments.of("unknown processing block", spec(badBlock),
                        PlanProblem.UNKNOWN_PROCESSING_BLOCK, List.of("task 'a'", "'nope'")),
                Arguments.of("blank script", spec(noScript),
                        PlanProblem.INVALID_TASK, List.of("task 'a' has no script")),
                Arguments.of("upper-case task name", spec(task("Bad_Name")),
                        PlanProblem.INVALID_TASK, List.of("'Bad_Name'", "DNS-1123")),
                Arguments.of("null task name", spec(task(null)),
                        PlanProblem.INVALID_TASK, List.of("'null'")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejects(String label, CampaignSpec spec, String reason, List<String> fragments) {
        CampaignPlan plan = CampaignPlan.of("c", spec);

        assertThat(plan.accepted()).isFalse();
        assertThat(plan.tasks()).isEmpty();
        assertThat(reasons(plan)).contains(reason);
        PlanProblem problem = plan.problems().stream().filter(p -> p.reason().equals(reason)).findFirst().orElseThrow();
        assertThat(problem.message()).contains(fragments);
    }

    @Test
    void everyUnknownDependencyIsNamedAndNoCycleIsReportedOnTop() {
        CampaignPlan plan = CampaignPlan.of("c", spec(task("a", "b", "ghost1"), task("b", "a", "ghost2")));

        assertThat(plan.problems()).extracting(PlanProblem::reason)
                .containsExactly(PlanProblem.UNKNOWN_DEPENDENCY, PlanProblem.UNKNOWN_DEPENDENCY);
        assertThat(plan.problems()).extracting(PlanProblem::message)
                .anySatisfy(m -> assertThat(m).contains("'a'", "'ghost1'"))
                .anySatisfy(m -> assertThat(m).contains("'b'", "'ghost2'"));
    }

    @Test
    void cycleIsReportedOnceAndTheCampaignIsNotOrdered() {
        CampaignPlan plan = CampaignPlan.of("c", spec(task("ok"), task("p", "q"), task("q", "p"), task("r", "ok")));

        assertThat(plan.problems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(PlanProblem.DEPENDENCY_CYCLE);
            assertThat(p.message()).isEqualTo("dependency cycle: p -> q -> p");
        });
        assertThat(plan.tasks()).isEmpty();
    }

    @Test
    void duplicateProcessingBlockIsRejected() {
        CampaignSpec s = spec(task("a"));
        s.setProcessingBlocks(List.of(block("out"), block("out")));

        CampaignPlan plan = CampaignPlan.of("c", s);

        assertThat(plan.problems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(PlanProblem.DUPLICATE_PROCESSING_BLOCK);
            assertThat(p.message()).contains("'out'");
        });
    }

    @Test
    void campaignNameLongerThan63IsRejectedAnd63IsAccepted() {
        String ok = "c".repeat(63);
        String tooLong = "c".repeat(64);

        assertThat(CampaignPlan.of(ok, spec(task("a"))).accepted()).isTrue();
        CampaignPlan plan = CampaignPlan.of(tooLong, spec(task("a")));
        assertThat(plan.accepted()).isFalse();
        assertThat(plan.problems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(PlanProblem.INVALID_NAME);
            assertThat(p.message()).contains("64", "63");
        });
    }

    @Test
    void allProblemsAreReportedTogether() {
        CampaignTask bad = task("b", "ghost");
        bad.setResources(resources(0, null, null));
        CampaignPlan plan = CampaignPlan.of("x".repeat(70), spec(task("a"), task("a"), bad));

        assertThat(reasons(plan)).contains(PlanProblem.INVALID_NAME, PlanProblem.DUPLICATE_TASK_NAME, PlanProblem.UNKNOWN_DEPENDENCY);
    }

    // ---- resources -------------------------------------------------------------------------------------------------

    static Stream<Arguments> invalidResources() {
        return Stream.of(
                Arguments.of(resources(0, null, null), List.of("task 'a'", "resources.cpus must be at least 1", "not 0")),
                Arguments.of(resources(-2, null, null), List.of("task 'a'", "cpus", "-2")),
                Arguments.of(resources(null, "lots", null), List.of("task 'a'", "memory", "'lots'")),
                Arguments.of(resources(null, "0", null), List.of("task 'a'", "memory must be positive")),
                Arguments.of(resources(null, "0Gi", null), List.of("task 'a'", "memory must be positive")),
                Arguments.of(resources(null, "1m", null), List.of("task 'a'", "memory", "'1m'")),
                Arguments.of(resources(null, null, "5 minutes"), List.of("task 'a'", "time", "'5 minutes'")),
                Arguments.of(resources(null, null, "0s"), List.of("task 'a'", "resources.time must be positive")),
                Arguments.of(with(r -> r.setDisk("0Mi")), List.of("task 'a'", "resources.disk must be positive, not 0Mi")),
                Arguments.of(with(r -> r.setDisk("much")), List.of("task 'a'", "resources.disk", "'much'")),
                Arguments.of(with(r -> r.setHtcondor(htcondor(attribute("HpcBridgeToken", "\"x\"")))),
                        List.of("task 'a'", "resources.htcondor.attributes", "'HpcBridgeToken'", "reserved")),
                Arguments.of(with(r -> r.setHtcondor(htcondor(attribute("hpcbridge_job", "1")))),
                        List.of("task 'a'", "resources.htcondor.attributes", "'hpcbridge_job'", "reserved")),
                Arguments.of(with(r -> r.setHtcondor(htcondor(attribute("Project", "\"a\""), attribute("project", "\"b\"")))),
                        List.of("task 'a'", "resources.htcondor.attributes", "'project'", "more than once")),
                Arguments.of(with(r -> r.setSlurm(slurm(s -> s.setOptions(List.of(new SbatchOption(SbatchOptionName.MAIL_TYPE, "END"),
                                new SbatchOption(SbatchOptionName.HINT, "nomultithread"), new SbatchOption(SbatchOptionName.MAIL_TYPE, "FAIL")))))),
                        List.of("task 'a'", "resources.slurm.options", "'mail-type'", "more than once")),
                Arguments.of(resources(null, null, "1h30"), List.of("task 'a'", "time", "'1h30'")),
                // match the CRD patterns but overflow a long: must be reported, not thrown
                Arguments.of(resources(null, "16Ei", null), List.of("task 'a'", "memory", "'16Ei'")),
                Arguments.of(resources(null, "99999999999999999999", null), List.of("task 'a'", "memory", "'99999999999999999999'")),
                Arguments.of(resources(null, null, "200000000000000d"), List.of("task 'a'", "time", "'200000000000000d'")),
                Arguments.of(resources(null, null, "99999999999999999999s"), List.of("task 'a'", "time", "'99999999999999999999s'")));
    }

    @ParameterizedTest
    @MethodSource("invalidResources")
    void rejectsInvalidTaskResources(Resources r, List<String> fragments) {
        CampaignTask t = task("a");
        t.setResources(r);

        CampaignPlan plan = CampaignPlan.of("c", spec(t));

        assertThat(plan.accepted()).isFalse();
        assertThat(plan.problems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(PlanProblem.INVALID_RESOURCES);
            assertThat(p.message()).contains(fragments);
        });
    }

    @Test
    void negativeGpusAreRejected() {
        CampaignTask t = task("a");
        Resources r = new Resources();
        r.setGpus(-1);
        t.setResources(r);

        assertThat(CampaignPlan.of("c", spec(t)).problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("task 'a'", "gpus"));
    }

    @Test
    void invalidDefaultResourcesAreReportedForEachTaskThatUsesThem() {
        CampaignSpec s = spec(task("a"), task("b"));
        CampaignTask own = task("c");
        own.setResources(resources(null, "4Gi", null));
        s.getTasks().add(own);
        CampaignDefaults d = new CampaignDefaults();
        d.setResources(resources(null, "lots", null));
        s.setDefaults(d);

        CampaignPlan plan = CampaignPlan.of("c", s);

        assertThat(plan.problems()).extracting(PlanProblem::message)
                .hasSize(2)
                .anySatisfy(m -> assertThat(m).contains("task 'a'", "'lots'"))
                .anySatisfy(m -> assertThat(m).contains("task 'b'", "'lots'"));
    }

    @Test
    void taskResourcesOverrideDefaultsFieldByField() {
        CampaignTask t = task("a");
        Resources own = resources(8, null, "2h");
        own.setSlurm(slurm(x -> x.setPartition("gpu")));
        t.setResources(own);
        CampaignSpec s = spec(t, task("b"));
        Resources defaults = resources(1, "4Gi", "30m");
        defaults.setSlurm(slurm(x -> {
            x.setPartition("cpu");
            x.setAccount("proj");
            x.setQos("normal");
        }));
        defaults.setGpus(0);
        CampaignDefaults d = new CampaignDefaults();
        d.setResources(defaults);
        s.setDefaults(d);

        CampaignPlan plan = CampaignPlan.of("c", s);

        Resources a = plan.tasks().get(0).getResources();
        assertThat(a.getCpus()).isEqualTo(8);
        assertThat(a.getMemory()).isEqualTo("4Gi");
        assertThat(a.getTime()).isEqualTo("2h");
        assertThat(a.getSlurm().getPartition()).isEqualTo("gpu");
        assertThat(a.getSlurm().getAccount()).isEqualTo("proj");
        assertThat(a.getSlurm().getQos()).isEqualTo("normal");
        assertThat(a.getGpus()).isEqualTo(0);
        Resources b = plan.tasks().get(1).getResources();
        assertThat(b.getCpus()).isEqualTo(1);
        assertThat(b.getMemory()).isEqualTo("4Gi");
        assertThat(b.getTime()).isEqualTo("30m");
        assertThat(b.getSlurm().getPartition()).isEqualTo("cpu");
        // the defaults object itself is not shared or changed
        assertThat(b).isNotSameAs(defaults);
        assertThat(b.getSlurm()).isNotSameAs(defaults.getSlurm());
        assertThat(defaults.getCpus()).isEqualTo(1);
        assertThat(defaults.getTime()).isEqualTo("30m");
        assertThat(defaults.getSlurm().getPartition()).isEqualTo("cpu");
        assertThat(own.getSlurm().getAccount()).isNull();
    }

    /** One row per merge rule: (what the task sets, the campaign defaults, the merged resources), as JSON. */
    static Stream<Arguments> resourceMerges() {
        return Stream.of(
                Arguments.of("both unset", null, null, null),
                Arguments.of("defaults only", null, "{'cpus':2,'memory':'1Gi'}", "{'cpus':2,'memory':'1Gi'}"),
                Arguments.of("task only", "{'time':'1h'}", null, "{'time':'1h'}"),
                Arguments.of("task wins per common field", "{'cpus':8,'time':'2h'}", "{'cpus':1,'memory':'4Gi','time':'30m'}",
                        "{'cpus':8,'memory':'4Gi','time':'2h'}"),
                Arguments.of("a field only in the defaults (disk)", "{'cpus':8}", "{'disk':'10Gi'}", "{'cpus':8,'disk':'10Gi'}"),
                Arguments.of("zero is a value, not unset", "{'gpus':0}", "{'gpus':2}", "{'gpus':0}"),
                Arguments.of("slurm merged field by field", "{'slurm':{'partition':'gpu','exclusive':true}}",
                        "{'slurm':{'partition':'cpu','account':'proj','nodes':2}}",
                        "{'slurm':{'partition':'gpu','exclusive':true,'account':'proj','nodes':2}}"),
                Arguments.of("a slurm section only in the defaults", "{'cpus':4}", "{'slurm':{'qos':'long'}}",
                        "{'cpus':4,'slurm':{'qos':'long'}}"),
                Arguments.of("slurm.options replaced whole, not appended",
                        "{'slurm':{'options':[{'name':'hint','value':'nomultithread'}]}}",
                        "{'slurm':{'account':'proj','options':[{'name':'mail-type','value':'END'},{'name':'mail-user','value':'a@b.c'}]}}",
                        "{'slurm':{'options':[{'name':'hint','value':'nomultithread'}],'account':'proj'}}"),
                Arguments.of("an empty options list is unset: the defaults' apply", "{'slurm':{'options':[]}}",
                        "{'slurm':{'options':[{'name':'nice','value':'10'}]}}", "{'slurm':{'options':[{'name':'nice','value':'10'}]}}"),
                Arguments.of("htcondor merged field by field", "{'htcondor':{'requirements':'OpSys == \\\"LINUX\\\"'}}",
                        "{'htcondor':{'requirements':'true','accountingGroup':'group_a.alice','rank':'Memory'}}",
                        "{'htcondor':{'requirements':'OpSys == \\\"LINUX\\\"','accountingGroup':'group_a.alice','rank':'Memory'}}"),
                Arguments.of("htcondor.attributes replaced whole", "{'htcondor':{'attributes':[{'name':'Project','value':'\\\"x\\\"'}]}}",
                        "{'htcondor':{'attributes':[{'name':'Site','value':'1'}]}}",
                        "{'htcondor':{'attributes':[{'name':'Project','value':'\\\"x\\\"'}]}}"),
                Arguments.of("both sections side by side", "{'slurm':{'partition':'gpu'}}", "{'htcondor':{'accountingGroup':'g'},'time':'1h'}",
                        "{'slurm':{'partition':'gpu'},'htcondor':{'accountingGroup':'g'},'time':'1h'}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resourceMerges")
    void resourcesMergeDeeply(String name, String own, String defaults, String expected) throws Exception {
        Resources o = read(own);
        Resources d = read(defaults);
        String ownBefore = JSON.writeValueAsString(o);
        String defaultsBefore = JSON.writeValueAsString(d);

        Resources merged = CampaignPlan.merge(o, d);

        assertThat(merged == null ? null : JSON.readTree(JSON.writeValueAsString(merged)))
                .isEqualTo(expected == null ? null : JSON.readTree(json(expected)));
        if (merged != null) {
            assertThat(merged).isNotSameAs(o).isNotSameAs(d);
        }
        assertThat(JSON.writeValueAsString(o)).as("the task's resources are not changed").isEqualTo(ownBefore);
        assertThat(JSON.writeValueAsString(d)).as("the defaults are not changed").isEqualTo(defaultsBefore);
    }

    @Test
    void mergedSectionsAreNotSharedWithTheDefaults() {
        Resources d = new Resources();
        d.setSlurm(slurm(x -> x.setOptions(new ArrayList<>(List.of(new SbatchOption(SbatchOptionName.NICE, "5"))))));
        d.setHtcondor(htcondor(attribute("Site", "1")));

        Resources merged = CampaignPlan.merge(null, d);
        merged.getSlurm().getOptions().get(0).setValue("6");
        merged.getHtcondor().getAttributes().add(attribute("Other", "2"));

        assertThat(d.getSlurm().getOptions().get(0).getValue()).isEqualTo("5");
        assertThat(d.getHtcondor().getAttributes()).hasSize(1);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Single quotes for double quotes, so the table stays readable. */
    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static Resources read(String singleQuoted) throws Exception {
        return singleQuoted == null ? null : JSON.readValue(json(singleQuoted), Resources.class);
    }

    @Test
    void taskResourcesAreUsedAloneWithoutDefaults() {
        CampaignTask t = task("a");
        t.setResources(resources(2, "512Mi", null));

        Resources r = CampaignPlan.of("c", spec(t)).tasks().get(0).getResources();

        assertThat(r.getCpus()).isEqualTo(2);
        assertThat(r.getMemory()).isEqualTo("512Mi");
        assertThat(r.getTime()).isNull();
    }

    @Test
    void aTaskValueFixesAnInvalidDefault() {
        CampaignTask t = task("a");
        t.setResources(resources(4, null, null));
        CampaignSpec s = spec(t);
        CampaignDefaults d = new CampaignDefaults();
        d.setResources(resources(0, null, null));
        s.setDefaults(d);

        assertThat(CampaignPlan.of("c", s).accepted()).isTrue();
    }

    // ---- retry strategy --------------------------------------------------------------------------------------------

    @Test
    void retryStrategyMergesFieldByField() {
        Backoff defaultBackoff = backoff("30s", 2);
        CampaignTask onlyLimit = task("a");
        onlyLimit.setRetryStrategy(retry(5, null, null));
        CampaignTask onlyPolicy = task("b");
        onlyPolicy.setRetryStrategy(retry(null, RetryPolicy.OnInfrastructure, backoff("1m", null)));
        CampaignSpec s = spec(onlyLimit, onlyPolicy, task("c"));
        CampaignDefaults d = new CampaignDefaults();
        d.setRetryStrategy(retry(2, RetryPolicy.OnApplicationError, defaultBackoff));
        s.setDefaults(d);

        List<TaskSpec> tasks = CampaignPlan.of("c", s).tasks();

        RetryStrategy a = tasks.get(0).getRetryStrategy();
        assertThat(a.getLimit()).isEqualTo(5);
        assertThat(a.getRetryPolicy()).isEqualTo(RetryPolicy.OnApplicationError);
        assertThat(a.getBackoff().getDuration()).isEqualTo("30s");
        RetryStrategy b = tasks.get(1).getRetryStrategy();
        assertThat(b.getLimit()).isEqualTo(2);
        assertThat(b.getRetryPolicy()).isEqualTo(RetryPolicy.OnInfrastructure);
        // backoff is taken whole from the task when it sets one
        assertThat(b.getBackoff().getDuration()).isEqualTo("1m");
        assertThat(b.getBackoff().getFactor()).isNull();
        RetryStrategy c = tasks.get(2).getRetryStrategy();
        assertThat(c.getLimit()).isEqualTo(2);
        assertThat(c.getRetryPolicy()).isEqualTo(RetryPolicy.OnApplicationError);
        assertThat(c.getBackoff().getFactor()).isEqualTo(2);
    }

    @Test
    void taskRetryLimitZeroOverridesDefault() {
        CampaignTask t = task("a");
        t.setRetryStrategy(retry(0, null, null));
        CampaignSpec s = spec(t);
        CampaignDefaults d = new CampaignDefaults();
        d.setRetryStrategy(retry(3, RetryPolicy.Always, null));
        s.setDefaults(d);

        RetryStrategy r = CampaignPlan.of("c", s).tasks().get(0).getRetryStrategy();

        assertThat(r.getLimit()).isZero();
        assertThat(r.getRetryPolicy()).isEqualTo(RetryPolicy.Always);
    }
    // ---- sweeps: factories -----------------------------------------------------------------------------------------

    private static CampaignTask shards(String name, int n, String... deps) {
        CampaignTask t = task(name, deps);
        t.setShards(n);
        return t;
    }

    private static CampaignTask matrix(String name, int... sizes) {
        CampaignTask t = task(name);
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int d = 0; d < sizes.length; d++) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < sizes[d]; i++) {
                values.add("v" + i);
            }
            m.put("k" + (char) ('a' + d), values);
        }
        t.setMatrix(m);
        return t;
    }

    private static Escalation escalation(Double memoryFactor, String maxMemory, Double timeFactor, String maxTime) {
        Escalation e = new Escalation();
        e.setMemoryFactor(memoryFactor);
        e.setMaxMemory(maxMemory);
        e.setTimeFactor(timeFactor);
        e.setMaxTime(maxTime);
        return e;
    }

    // ---- sweeps: limits --------------------------------------------------------------------------------------------

    @Test
    void expandingToExactlyTheLimitIsAccepted() {
        CampaignPlan plan = CampaignPlan.of("c", spec(matrix("x", 3, 3), shards("s", 2), task("plain")), 12);

        assertThat(plan.problems()).isEmpty();
        assertThat(plan.tasks()).hasSize(12);
    }

    static Stream<Arguments> tooLarge() {
        return Stream.of(
                Arguments.of("one task over the limit", spec(matrix("x", 3, 3), shards("s", 2), task("plain"), task("more")), 12,
                        "campaign expands to 13 tasks (task 'x': matrix 3 x 3, task 's': 2 shards); at most 12 are allowed (hpcbridge.campaign.max-tasks)"),
                Arguments.of("the default limit", spec(matrix("x", 100, 120)), CampaignPlan.DEFAULT_MAX_TASKS,
                        "campaign expands to 12000 tasks (task 'x': matrix 100 x 120); at most 10000 are allowed (hpcbridge.campaign.max-tasks)"),
                Arguments.of("largest sweeps first, at most three named",
                        spec(shards("a", 2), shards("b", 5), matrix("c", 2, 2), shards("d", 3), shards("e", 1)), 10,
                        "campaign expands to 15 tasks (task 'b': 5 shards, task 'c': matrix 2 x 2, task 'd': 3 shards, and 2 more swept tasks); at most 10 are allowed"),
                Arguments.of("sums beyond int", spec(shards("a", Integer.MAX_VALUE), shards("b", Integer.MAX_VALUE), shards("c", Integer.MAX_VALUE)),
                        CampaignPlan.DEFAULT_MAX_TASKS, "campaign expands to 6442450941 tasks"),
                Arguments.of("products beyond long", spec(matrix("h", 1000, 1000, 1000, 1000, 1000, 1000, 1000)), CampaignPlan.DEFAULT_MAX_TASKS,
                        "campaign expands to more than 9223372036854775807 tasks (task 'h': matrix 1000 x 1000 x 1000 x 1000 x 1000 x 1000 x 1000)"),
                Arguments.of("plain tasks count too", spec(task("a"), task("b"), task("c")), 2,
                        "campaign has 3 tasks; at most 2 are allowed (hpcbridge.campaign.max-tasks)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tooLarge")
    void refusesCampaignsThatExpandBeyondTheLimit(String label, CampaignSpec spec, int max, String message) {
        CampaignPlan plan = CampaignPlan.of("c", spec, max);

        assertThat(plan.accepted()).isFalse();
        assertThat(plan.tasks()).isEmpty();
        assertThat(plan.problems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(PlanProblem.SWEEP_TOO_LARGE);
            assertThat(p.message()).contains(message);
        });
    }

    @Test
    void twoArgumentOfUsesTheDefaultLimit() {
        assertThat(CampaignPlan.of("c", spec(shards("a", 10_000))).accepted()).isTrue();
        assertThat(CampaignPlan.of("c", spec(shards("a", 10_000), task("b"))).problems())
                .extracting(PlanProblem::reason).containsExactly(PlanProblem.SWEEP_TOO_LARGE);
    }

    @Test
    void otherProblemsAreStillReportedWithSweepTooLarge() {
        CampaignTask bad = shards("s", 5, "ghost");
        bad.setResources(resources(0, null, null));

        CampaignPlan plan = CampaignPlan.of("c", spec(bad), 4);

        assertThat(reasons(plan)).containsExactly(PlanProblem.SWEEP_TOO_LARGE, PlanProblem.UNKNOWN_DEPENDENCY, PlanProblem.INVALID_RESOURCES);
    }

    // ---- sweeps: duplicate names -----------------------------------------------------------------------------------

    static Stream<Arguments> duplicates() {
        CampaignTask m = task("a");
        m.setMatrix(new LinkedHashMap<>(Map.of("x", List.of("1", "2"), "y", List.of("0"))));
        return Stream.of(
                Arguments.of(spec(shards("a", 2), task("a-1")), "task name 'a-1' is generated by shards of 'a' and also defined as a task"),
                Arguments.of(spec(task("a-1"), shards("a", 2)), "task name 'a-1' is defined as a task and also generated by shards of 'a'"),
                Arguments.of(spec(m, shards("a-1", 1), task("b")), "task name 'a-1-0' is generated by matrix of 'a' and also generated by shards of 'a-1'"));
    }

    @ParameterizedTest
    @MethodSource("duplicates")
    void namesGeneratedTwiceAreReportedOnceSayingWhereTheyComeFrom(CampaignSpec spec, String message) {
        CampaignPlan plan = CampaignPlan.of("c", spec);

        assertThat(plan.tasks()).isEmpty();
        assertThat(plan.problems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(PlanProblem.DUPLICATE_TASK_NAME);
            assertThat(p.message()).isEqualTo(message);
        });
    }

    @Test
    void aNameDefinedThreeTimesIsReportedOnce() {
        assertThat(CampaignPlan.of("c", spec(task("a"), task("a"), task("b"), task("a"))).problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("task name 'a' is used more than once"));
    }

    @Test
    void manyDuplicateNamesAreSummarised() {
        List<CampaignTask> tasks = new ArrayList<>(List.of(shards("a", 30)));
        for (int i = 0; i < 30; i++) {
            tasks.add(task("a-" + i));
        }

        CampaignPlan plan = CampaignPlan.of("c", spec(tasks.toArray(CampaignTask[]::new)));

        assertThat(plan.problems()).hasSize(21).allSatisfy(p -> assertThat(p.reason()).isEqualTo(PlanProblem.DUPLICATE_TASK_NAME));
        assertThat(plan.problems().get(0).message()).isEqualTo("task name 'a-0' is generated by shards of 'a' and also defined as a task");
        assertThat(plan.problems().get(19).message()).contains("'a-19'");
        assertThat(plan.problems().get(20).message()).isEqualTo("and 10 more task names are used more than once");
    }

    // ---- sweeps: resources and retry strategy, once per campaign task -----------------------------------------------

    @Test
    void invalidResourcesOfASweepAreReportedOnceNamingTheCampaignTask() {
        CampaignTask s = shards("chunk", 100);
        s.setResources(resources(0, "lots", null));
        CampaignTask m = matrix("train", 10, 10);
        CampaignSpec spec = spec(s, m);
        CampaignDefaults d = new CampaignDefaults();
        d.setResources(resources(null, null, "0s"));
        spec.setDefaults(d);

        CampaignPlan plan = CampaignPlan.of("c", spec);

        assertThat(plan.problems()).extracting(PlanProblem::reason).containsOnly(PlanProblem.INVALID_RESOURCES);
        assertThat(plan.problems()).extracting(PlanProblem::message).containsExactly(
                "task 'chunk': resources.cpus must be at least 1, not 0",
                "task 'chunk': resources.memory 'lots' is not a memory quantity such as 512Mi, 4Gi or 2G",
                "task 'chunk': resources.time must be positive, not 0s",
                "task 'train': resources.time must be positive, not 0s");
    }

    static Stream<Arguments> invalidRetryStrategies() {
        return Stream.of(
                Arguments.of(retry(null, null, null, escalation(0.5, null, null, null)), List.of("task 'a'", "escalate.memoryFactor", "at least 1", "not 0.5")),
                Arguments.of(retry(null, null, null, escalation(null, null, 0.0, null)), List.of("task 'a'", "escalate.timeFactor", "not 0")),
                Arguments.of(retry(null, null, null, escalation(-2.0, null, null, null)), List.of("task 'a'", "memoryFactor", "not -2")),
                Arguments.of(retry(null, null, null, escalation(Double.NaN, null, null, null)), List.of("task 'a'", "memoryFactor", "NaN")),
                Arguments.of(retry(null, null, null, escalation(Double.POSITIVE_INFINITY, null, null, null)), List.of("task 'a'", "memoryFactor", "Infinity")),
                Arguments.of(retry(null, null, null, escalation(2.0, "lots", null, null)), List.of("task 'a'", "escalate.maxMemory", "'lots'")),
                Arguments.of(retry(null, null, null, escalation(2.0, "0Gi", null, null)), List.of("task 'a'", "escalate.maxMemory must be positive")),
                Arguments.of(retry(null, null, null, escalation(2.0, "16Ei", null, null)), List.of("task 'a'", "escalate.maxMemory", "'16Ei'")),
                Arguments.of(retry(null, null, null, escalation(null, null, 2.0, "1h30")), List.of("task 'a'", "escalate.maxTime", "'1h30'")),
                Arguments.of(retry(null, null, null, escalation(null, null, 2.0, "0s")), List.of("task 'a'", "escalate.maxTime must be positive")),
                Arguments.of(retry(null, null, null, escalation(null, null, 2.0, "99999999999999999999s")), List.of("task 'a'", "maxTime", "too long")),
                Arguments.of(retry(-1, null, null, null), List.of("task 'a'", "retryStrategy.limit", "-1")),
                Arguments.of(retry(null, null, backoff("99999999999999999999s", null), null), List.of("task 'a'", "backoff.duration", "too long")),
                Arguments.of(retry(null, null, backoff("30s", 0), null), List.of("task 'a'", "backoff.factor", "at least 1")));
    }

    private static RetryStrategy retry(Integer limit, RetryPolicy policy, Backoff backoff, Escalation escalate) {
        RetryStrategy r = retry(limit, policy, backoff);
        r.setEscalate(escalate);
        return r;
    }

    @ParameterizedTest
    @MethodSource("invalidRetryStrategies")
    void rejectsInvalidRetryStrategiesNamingTheTask(RetryStrategy r, List<String> fragments) {
        CampaignTask t = task("a");
        t.setRetryStrategy(r);

        CampaignPlan plan = CampaignPlan.of("c", spec(t));

        assertThat(plan.accepted()).isFalse();
        assertThat(plan.problems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(PlanProblem.INVALID_RETRY_STRATEGY);
            assertThat(p.message()).contains(fragments);
        });
    }

    @Test
    void validEscalationIsAcceptedIncludingFactorOne() {
        CampaignTask t = shards("a", 3);
        t.setRetryStrategy(retry(2, null, null, escalation(1.0, "64Gi", 1.5, "2d")));

        assertThat(CampaignPlan.of("c", spec(t)).problems()).isEmpty();
    }

    @Test
    void invalidDefaultEscalationIsReportedOncePerCampaignTaskThatUsesIt() {
        CampaignTask own = task("own");
        own.setRetryStrategy(retry(null, null, null, escalation(2.0, null, null, null)));
        CampaignSpec s = spec(shards("a", 50), matrix("b", 4, 4), own);
        CampaignDefaults d = new CampaignDefaults();
        d.setRetryStrategy(retry(3, null, null, escalation(0.5, null, null, null)));
        s.setDefaults(d);

        CampaignPlan plan = CampaignPlan.of("c", s);

        assertThat(plan.problems()).extracting(PlanProblem::message).containsExactly(
                "task 'a': retryStrategy.escalate.memoryFactor must be a number of at least 1, not 0.5",
                "task 'b': retryStrategy.escalate.memoryFactor must be a number of at least 1, not 0.5");
    }

    @Test
    void escalateIsMergedWholeTaskFirstAndCopied() {
        Escalation defaultEscalation = escalation(2.0, "64Gi", null, null);
        CampaignTask own = task("own");
        Escalation ownEscalation = escalation(null, null, 3.0, "2d");
        own.setRetryStrategy(retry(null, null, null, ownEscalation));
        CampaignTask none = task("none");
        none.setRetryStrategy(retry(4, null, null));
        CampaignSpec s = spec(own, none, task("plain"));
        CampaignDefaults d = new CampaignDefaults();
        d.setRetryStrategy(retry(1, null, null, defaultEscalation));
        s.setDefaults(d);

        List<TaskSpec> tasks = CampaignPlan.of("c", s).tasks();

        Escalation a = tasks.get(0).getRetryStrategy().getEscalate();
        assertThat(a.getTimeFactor()).isEqualTo(3.0);
        assertThat(a.getMaxTime()).isEqualTo("2d");
        assertThat(a.getMemoryFactor()).isNull();
        assertThat(a).isNotSameAs(ownEscalation);
        Escalation b = tasks.get(1).getRetryStrategy().getEscalate();
        assertThat(tasks.get(1).getRetryStrategy().getLimit()).isEqualTo(4);
        assertThat(b.getMemoryFactor()).isEqualTo(2.0);
        assertThat(b.getMaxMemory()).isEqualTo("64Gi");
        assertThat(b).isNotSameAs(defaultEscalation).isNotSameAs(tasks.get(2).getRetryStrategy().getEscalate());
        assertThat(tasks.get(2).getRetryStrategy().getEscalate().getMaxMemory()).isEqualTo("64Gi");
    }

    // ---- order and scale -------------------------------------------------------------------------------------------

    @Test
    void theReadyTaskEarliestInTheSpecComesFirst() {
        // b becomes ready once a is placed, and precedes c because it is earlier in the spec
        CampaignPlan plan = CampaignPlan.of("c", spec(task("b", "a"), task("a"), task("c"), task("d", "c", "b")));

        assertThat(names(plan)).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aChainOfTenThousandTasksIsPlannedWithoutDeepRecursion() {
        List<CampaignTask> tasks = new ArrayList<>();
        for (int i = 9_999; i >= 0; i--) {
            tasks.add(i == 0 ? task("t0") : task("t" + i, "t" + (i - 1)));
        }

        CampaignPlan plan = CampaignPlan.of("c", spec(tasks.toArray(CampaignTask[]::new)));

        assertThat(plan.problems()).isEmpty();
        assertThat(names(plan)).hasSize(10_000).startsWith("t0", "t1").endsWith("t9998", "t9999");
    }

    @Test
    void aCycleClosingAChainOfTenThousandTasksIsFoundWithoutDeepRecursion() {
        List<CampaignTask> tasks = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            tasks.add(task("t" + i, "t" + ((i + 1) % 10_000)));
        }

        CampaignPlan[] plan = new CampaignPlan[1];
        assertThatCode(() -> plan[0] = CampaignPlan.of("c", spec(tasks.toArray(CampaignTask[]::new)))).doesNotThrowAnyException();

        assertThat(plan[0].problems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(PlanProblem.DEPENDENCY_CYCLE);
            assertThat(p.message()).startsWith("dependency cycle: t0 -> t1 -> t2 -> ").endsWith(" -> t9999 -> t0");
        });
    }

    @Test
    void aHundredByHundredSweepAndADownstreamTaskArePlanned() {
        CampaignTask sweep = matrix("sweep", 100, 100);
        sweep.setDependsOn(new ArrayList<>(List.of("prepare")));
        CampaignSpec s = spec(task("report", "sweep"), sweep, task("prepare"));

        CampaignPlan plan = CampaignPlan.of("c", s, 10_002);

        assertThat(plan.problems()).isEmpty();
        assertThat(plan.tasks()).hasSize(10_002);
        assertThat(names(plan).get(0)).isEqualTo("prepare");
        assertThat(names(plan).get(1)).isEqualTo("sweep-v0-v0");
        assertThat(names(plan).get(10_000)).isEqualTo("sweep-v99-v99");
        TaskSpec report = plan.tasks().get(10_001);
        assertThat(report.getTaskName()).isEqualTo("report");
        assertThat(report.getDependsOn()).hasSize(10_000).startsWith("sweep-v0-v0", "sweep-v0-v1").endsWith("sweep-v99-v99");
    }

    @Test
    void aSweepAfterASweepSharesOneDependencyList() {
        CampaignPlan plan = CampaignPlan.of("c", spec(shards("a", 5_000), shards("b", 5_000, "a")));

        assertThat(plan.problems()).isEmpty();
        TaskSpec first = plan.tasks().get(5_000);
        TaskSpec last = plan.tasks().get(9_999);
        assertThat(first.getTaskName()).isEqualTo("b-0");
        assertThat(first.getDependsOn()).hasSize(5_000).startsWith("a-0").endsWith("a-4999");
        assertThat(last.getDependsOn()).isSameAs(first.getDependsOn());
    }
}
