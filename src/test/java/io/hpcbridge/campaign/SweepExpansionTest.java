package io.hpcbridge.campaign;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.hpcbridge.api.v1alpha1.CampaignSpec;
import io.hpcbridge.api.v1alpha1.CampaignTask;
import io.hpcbridge.api.v1alpha1.EnvVar;
import io.hpcbridge.api.v1alpha1.NameReference;
import io.hpcbridge.api.v1alpha1.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

class SweepExpansionTest {

    // ---- factories -------------------------------------------------------------------------------------------------

    private static CampaignTask task(String name, String... deps) {
        CampaignTask t = new CampaignTask();
        t.setName(name);
        t.setScript("echo " + name);
        t.setDependsOn(new ArrayList<>(Arrays.asList(deps)));
        return t;
    }

    /** A matrix task; dims as key, list, key, list, ... in the order given (LinkedHashMap). */
    private static CampaignTask matrix(String name, Object... dims) {
        CampaignTask t = task(name);
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < dims.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> values = (List<String>) dims[i + 1];
            m.put((String) dims[i], values);
        }
        t.setMatrix(m);
        return t;
    }

    private static CampaignTask shards(String name, int n, String... deps) {
        CampaignTask t = task(name, deps);
        t.setShards(n);
        return t;
    }

    private static CampaignTask dependsOn(CampaignTask t, String... deps) {
        t.setDependsOn(new ArrayList<>(Arrays.asList(deps)));
        return t;
    }

    private static CampaignSpec spec(CampaignTask... tasks) {
        CampaignSpec s = new CampaignSpec();
        s.setClusterRef(new NameReference("hpc"));
        s.setTasks(new ArrayList<>(Arrays.asList(tasks)));
        return s;
    }

    private static List<String> names(List<SweepExpansion.Generated> generated) {
        return generated.stream().map(SweepExpansion.Generated::name).toList();
    }

    private static List<String> values(int n, String prefix) {
        List<String> v = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            v.add(prefix + i);
        }
        return v;
    }

    private static TaskSpec find(CampaignPlan plan, String name) {
        return plan.tasks().stream().filter(t -> t.getTaskName().equals(name)).findFirst().orElseThrow();
    }

    // ---- sanitising ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "0.1|0-1",
            "ResNet_50|resnet-50",
            "abc|abc",
            "1e-3|1e-3",
            "A.csv|a-csv",
            "--a--|a",
            "x // y|x-y",
            "été|t",
            "'  '|''",
            "...|''",
            "a...b___c|a-b-c"})
    void sanitisesValuesIntoDnsParts(String value, String expected) {
        assertThat(SweepExpansion.sanitise(value)).isEqualTo(expected);
    }

    // ---- matrix naming ---------------------------------------------------------------------------------------------

    static Stream<Arguments> matrixNames() {
        String v61 = "v".repeat(61);
        return Stream.of(
                Arguments.of("values, keys sorted (lr before model), first key slowest",
                        matrix("train", "model", List.of("resnet", "vit"), "lr", List.of("0.1", "0.01")),
                        List.of("train-0-1-resnet", "train-0-1-vit", "train-0-01-resnet", "train-0-01-vit")),
                Arguments.of("values are sanitised",
                        matrix("t", "model", List.of("ResNet_50", "ViT")),
                        List.of("t-resnet-50", "t-vit")),
                Arguments.of("a value empty after sanitising: that dimension uses indices, the other keeps values",
                        matrix("t", "x", List.of("a", "--"), "y", List.of("p", "q")),
                        List.of("t-0-p", "t-0-q", "t-1-p", "t-1-q")),
                Arguments.of("two values equal after sanitising: indices",
                        matrix("t", "f", List.of("A.csv", "a-csv", "b")),
                        List.of("t-0", "t-1", "t-2")),
                Arguments.of("the same value twice: indices",
                        matrix("t", "f", List.of("a", "a")),
                        List.of("t-0", "t-1")),
                Arguments.of("indices beyond 9 are not padded",
                        matrix("t", "f", List.of("x", "x", "a", "b", "c", "d", "e", "f", "g", "h", "i")),
                        List.of("t-0", "t-1", "t-2", "t-3", "t-4", "t-5", "t-6", "t-7", "t-8", "t-9", "t-10")),
                Arguments.of("exactly 63 characters keeps values",
                        matrix("t", "f", List.of(v61, "b")),
                        List.of("t-" + v61, "t-b")),
                Arguments.of("64 characters: every dimension uses indices",
                        matrix("t", "f", List.of(v61 + "v", "b"), "g", List.of("p")),
                        List.of("t-0-0", "t-1-0")),
                Arguments.of("the length counts the sanitised value, not the raw one",
                        matrix("t", "f", List.of("V".repeat(61) + "...")),
                        List.of("t-" + v61)),
                Arguments.of("two combinations with the same name: every dimension uses indices",
                        matrix("t", "x", List.of("a-b", "a"), "y", List.of("c", "b-c")),
                        List.of("t-0-0", "t-0-1", "t-1-0", "t-1-1")),
                Arguments.of("a single value",
                        matrix("t", "x", List.of("only")),
                        List.of("t-only")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrixNames")
    void namesMatrixTasks(String label, CampaignTask task, List<String> expected) {
        assertThat(SweepExpansion.check(task)).isEmpty();
        assertThat(SweepExpansion.count(task)).isEqualTo(BigInteger.valueOf(expected.size()));

        List<SweepExpansion.Generated> generated = SweepExpansion.expand(task);

        assertThat(names(generated)).containsExactlyElementsOf(expected);
        assertThat(names(generated)).allSatisfy(n -> assertThat(n).hasSizeLessThanOrEqualTo(63).matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"));
    }

    @Test
    void namesDoNotDependOnTheOrderTheMatrixWasWrittenIn() {
        CampaignTask a = matrix("t", "b", List.of("1", "2"), "a", List.of("x", "y"));
        CampaignTask b = matrix("t", "a", List.of("x", "y"), "b", List.of("1", "2"));

        assertThat(SweepExpansion.expand(a)).isEqualTo(SweepExpansion.expand(b));
        assertThat(names(SweepExpansion.expand(a))).containsExactly("t-x-1", "t-x-2", "t-y-1", "t-y-2");
    }

    @Test
    void matrixParametersHoldTheOriginalValuesInKeyOrder() {
        CampaignTask t = matrix("train", "model", List.of("ResNet_50"), "lr", List.of("0.1", "0.01"));

        List<SweepExpansion.Generated> generated = SweepExpansion.expand(t);

        assertThat(generated.get(1).name()).isEqualTo("train-0-01-resnet-50");
        assertThat(generated.get(1).parameters()).containsExactly(entry("lr", "0.01"), entry("model", "ResNet_50"));
        assertThat(generated.get(1).env()).extracting(EnvVar::getName, EnvVar::getValue)
                .containsExactly(tuple("lr", "0.01"), tuple("model", "ResNet_50"));
    }

    @Test
    void shardsAreNumberedFromZeroWithIndexAndCount() {
        List<SweepExpansion.Generated> generated = SweepExpansion.expand(shards("chunk", 3));

        assertThat(names(generated)).containsExactly("chunk-0", "chunk-1", "chunk-2");
        assertThat(generated.get(2).parameters()).containsExactly(entry("HPCB_SHARD_INDEX", "2"), entry("HPCB_SHARD_COUNT", "3"));
        assertThat(SweepExpansion.count(shards("chunk", 3))).isEqualTo(BigInteger.valueOf(3));
        assertThat(SweepExpansion.describe(shards("chunk", 3))).isEqualTo("3 shards");
    }

    @Test
    void oneShardIsStillASweep() {
        assertThat(names(SweepExpansion.expand(shards("a", 1)))).containsExactly("a-0");
    }

    @Test
    void aTaskWithoutSweepStandsForItselfAndAnEmptyMatrixIsNoSweep() {
        CampaignTask plain = task("a");
        CampaignTask emptyMatrix = task("b");
        emptyMatrix.setMatrix(new LinkedHashMap<>());

        for (CampaignTask t : List.of(plain, emptyMatrix)) {
            assertThat(SweepExpansion.isSwept(t)).isFalse();
            assertThat(SweepExpansion.check(t)).isEmpty();
            assertThat(SweepExpansion.count(t)).isEqualTo(BigInteger.ONE);
            assertThat(SweepExpansion.expand(t)).singleElement()
                    .satisfies(g -> {
                        assertThat(g.name()).isEqualTo(t.getName());
                        assertThat(g.parameters()).isEmpty();
                    });
        }
        CampaignPlan plan = CampaignPlan.of("c", spec(emptyMatrix));
        assertThat(plan.tasks()).singleElement().satisfies(s -> {
            assertThat(s.getTaskName()).isEqualTo("b");
            assertThat(s.getSweep()).isNull();
            assertThat(s.getParameters()).isEmpty();
        });
    }

    @Test
    void countsHugeProductsExactlyWithoutMaterialising() {
        CampaignTask huge = matrix("h", "a", values(1000, "a"), "b", values(1000, "b"), "c", values(1000, "c"),
                "d", values(1000, "d"), "e", values(1000, "e"), "f", values(1000, "f"), "g", values(1000, "g"));

        assertThat(SweepExpansion.check(huge)).isEmpty();
        assertThat(SweepExpansion.count(huge)).isEqualTo(BigInteger.TEN.pow(21));
        assertThat(SweepExpansion.describe(huge)).isEqualTo("matrix 1000 x 1000 x 1000 x 1000 x 1000 x 1000 x 1000");
        assertThat(SweepExpansion.count(shards("s", Integer.MAX_VALUE))).isEqualTo(BigInteger.valueOf(Integer.MAX_VALUE));
    }

    @Test
    void describeSummarisesManyDimensions() {
        Object[] dims = new Object[24];
        for (int i = 0; i < 12; i++) {
            dims[2 * i] = "k" + (char) ('a' + i);
            dims[2 * i + 1] = List.of("x", "y");
        }
        assertThat(SweepExpansion.describe(matrix("t", dims))).isEqualTo("matrix 2 x 2 x 2 x 2 x 2 x 2 x 2 x 2 x 2 x 2 x ... (12 lists)");
    }

    // ---- invalid sweeps --------------------------------------------------------------------------------------------

    static Stream<Arguments> invalidSweeps() {
        CampaignTask both = matrix("x", "a", List.of("1"));
        both.setShards(2);
        CampaignTask nullList = matrix("x", "a", null);
        CampaignTask nullValue = matrix("x", "a", Arrays.asList("1", null));
        CampaignTask envMatrix = matrix("x", "lr", List.of("1"));
        envMatrix.setEnv(new ArrayList<>(List.of(new EnvVar("lr", "0"))));
        CampaignTask envShardIndex = shards("x", 2);
        envShardIndex.setEnv(new ArrayList<>(List.of(new EnvVar("HPCB_SHARD_INDEX", "0"))));
        CampaignTask envShardCount = shards("x", 2);
        envShardCount.setEnv(new ArrayList<>(List.of(new EnvVar("HPCB_SHARD_COUNT", "9"))));
        Object[] manyDims = new Object[26];
        for (int i = 0; i < 13; i++) {
            manyDims[2 * i] = "k" + (char) ('a' + i);
            manyDims[2 * i + 1] = values(11, "v");
        }
        // "x" + 13 x "-10" = 40 characters: fine; a 30-character name makes it 69
        CampaignTask longName = matrix("x" + "y".repeat(29), manyDims);
        return Stream.of(
                Arguments.of("matrix and shards", both, List.of("matrix and shards cannot both be set")),
                Arguments.of("zero shards", shards("x", 0), List.of("shards must be at least 1, not 0")),
                Arguments.of("negative shards", shards("x", -3), List.of("shards must be at least 1, not -3")),
                Arguments.of("key with a dash", matrix("x", "my-key", List.of("1")), List.of("'my-key'", "environment variable name")),
                Arguments.of("key starting with a digit", matrix("x", "1lr", List.of("1")), List.of("'1lr'", "environment variable name")),
                Arguments.of("unquoted n read by YAML 1.1 as false", matrix("x", "false", List.of("1")), List.of("'false'", "YAML 1.1 boolean", "quote the key")),
                Arguments.of("unquoted y read by YAML 1.1 as true", matrix("x", "true", List.of("1")), List.of("'true'", "YAML 1.1 boolean")),
                Arguments.of("empty list", matrix("x", "a", List.of()), List.of("matrix 'a' has no values")),
                Arguments.of("null list", nullList, List.of("matrix 'a' has no values")),
                Arguments.of("null value", nullValue, List.of("matrix 'a' has a null value")),
                Arguments.of("env defines a matrix key", envMatrix, List.of("env 'lr'", "matrix key")),
                Arguments.of("env defines HPCB_SHARD_INDEX", envShardIndex, List.of("env 'HPCB_SHARD_INDEX'", "shards")),
                Arguments.of("env defines HPCB_SHARD_COUNT", envShardCount, List.of("env 'HPCB_SHARD_COUNT'", "shards")),
                Arguments.of("names too long even with indices", longName, List.of("69 characters", "even with indices", "at most 63")),
                Arguments.of("shard names too long", shards("s".repeat(60), 1000), List.of("64 characters", "'" + "s".repeat(60) + "-999'", "at most 63")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSweeps")
    void rejectsInvalidSweepsNamingTheTask(String label, CampaignTask task, List<String> fragments) {
        assertThat(SweepExpansion.check(task)).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(PlanProblem.INVALID_SWEEP);
            assertThat(p.message()).startsWith("task '" + task.getName() + "': ").contains(fragments);
        });
        assertThatThrownBy(() -> SweepExpansion.expand(task)).isInstanceOf(IllegalArgumentException.class);

        CampaignPlan plan = CampaignPlan.of("c", spec(task("ok"), task));
        assertThat(plan.accepted()).isFalse();
        assertThat(plan.tasks()).isEmpty();
        assertThat(plan.problems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(PlanProblem.INVALID_SWEEP);
            assertThat(p.message()).contains("task '" + task.getName() + "'").contains(fragments);
        });
    }

    @Test
    void namesThatJustFitWithIndicesAreAccepted() {
        assertThat(SweepExpansion.check(shards("s".repeat(60), 100))).isEmpty();
        assertThat(names(SweepExpansion.expand(shards("s".repeat(60), 100)))).last().isEqualTo("s".repeat(60) + "-99");
    }

    @Test
    void everyProblemOfOneSweepIsReported() {
        CampaignTask t = matrix("x", "bad-key", List.of("1"), "empty", List.of());

        assertThat(SweepExpansion.check(t)).extracting(PlanProblem::message)
                .hasSize(2)
                .anySatisfy(m -> assertThat(m).contains("'bad-key'"))
                .anySatisfy(m -> assertThat(m).contains("'empty'", "no values"));
    }

    // ---- in the plan: resolved tasks, env, dependencies ------------------------------------------------------------

    @Test
    void resolvedSweepTasksCarrySweepParametersAndEnvAfterTheTasksOwn() {
        CampaignTask train = matrix("train", "model", List.of("resnet"), "lr", List.of("0.1", "0.01"));
        train.setEnv(new ArrayList<>(List.of(new EnvVar("DATA", "/d"))));
        CampaignTask chunk = shards("chunk", 2);

        CampaignPlan plan = CampaignPlan.of("c", spec(task("prepare"), train, chunk));

        assertThat(plan.problems()).isEmpty();
        assertThat(plan.tasks()).extracting(TaskSpec::getTaskName)
                .containsExactly("prepare", "train-0-1-resnet", "train-0-01-resnet", "chunk-0", "chunk-1");
        TaskSpec t = find(plan, "train-0-01-resnet");
        assertThat(t.getCampaign()).isEqualTo("c");
        assertThat(t.getSweep()).isEqualTo("train");
        assertThat(t.getParameters()).isInstanceOf(LinkedHashMap.class).containsExactly(entry("lr", "0.01"), entry("model", "resnet"));
        assertThat(t.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
                .containsExactly(tuple("DATA", "/d"), tuple("lr", "0.01"), tuple("model", "resnet"));
        TaskSpec c = find(plan, "chunk-1");
        assertThat(c.getSweep()).isEqualTo("chunk");
        assertThat(c.getParameters()).containsExactly(entry("HPCB_SHARD_INDEX", "1"), entry("HPCB_SHARD_COUNT", "2"));
        assertThat(c.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
                .containsExactly(tuple("HPCB_SHARD_INDEX", "1"), tuple("HPCB_SHARD_COUNT", "2"));
        TaskSpec p = find(plan, "prepare");
        assertThat(p.getSweep()).isNull();
        assertThat(p.getParameters()).isEmpty();
        assertThat(p.getEnv()).isEmpty();
        // the spec's own env is not touched, and generated tasks do not share env objects
        assertThat(train.getEnv()).hasSize(1);
        assertThat(t.getEnv().get(0)).isNotSameAs(find(plan, "train-0-1-resnet").getEnv().get(0));
    }

    @Test
    void dependsOnASweptTaskMeansAllItsTasksDeduplicatedInOrder() {
        CampaignPlan plan = CampaignPlan.of("c", spec(
                task("report", "train", "chunk", "prepare", "train", "chunk-x"),
                dependsOn(matrix("train", "lr", List.of("0.1", "0.01"), "model", List.of("a", "b")), "prepare"),
                shards("chunk", 3, "train"),
                task("prepare"),
                task("chunk-x")));

        assertThat(plan.problems()).isEmpty();
        assertThat(find(plan, "report").getDependsOn()).containsExactly(
                "train-0-1-a", "train-0-1-b", "train-0-01-a", "train-0-01-b", "chunk-0", "chunk-1", "chunk-2", "prepare", "chunk-x");
        // a swept task inherits its dependencies, a sweep after a sweep depends on every generated task
        assertThat(find(plan, "train-0-01-b").getDependsOn()).containsExactly("prepare");
        for (String shard : List.of("chunk-0", "chunk-1", "chunk-2")) {
            assertThat(find(plan, shard).getDependsOn()).containsExactly("train-0-1-a", "train-0-1-b", "train-0-01-a", "train-0-01-b");
        }
        // generated tasks of one campaign task stay together, every task after all of its dependencies
        List<String> order = plan.tasks().stream().map(TaskSpec::getTaskName).toList();
        assertThat(order).containsExactly("prepare", "train-0-1-a", "train-0-1-b", "train-0-01-a", "train-0-01-b",
                "chunk-0", "chunk-1", "chunk-2", "chunk-x", "report");
        for (TaskSpec t : plan.tasks()) {
            for (String dep : t.getDependsOn()) {
                assertThat(order.indexOf(dep)).as("%s after %s", t.getTaskName(), dep).isLessThan(order.indexOf(t.getTaskName()));
            }
        }
    }

    @Test
    void dependingOnAGeneratedNameIsUnknownWithAHint() {
        CampaignPlan plan = CampaignPlan.of("c", spec(shards("a", 2), task("b", "a-1")));

        assertThat(plan.problems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(PlanProblem.UNKNOWN_DEPENDENCY);
            assertThat(p.message()).contains("task 'b' depends on 'a-1'", "generated by shards of 'a'", "depend on 'a'");
        });
    }

    @Test
    void aSweptTaskDependingOnItselfIsACycleInCampaignTaskNames() {
        assertThat(CampaignPlan.of("c", spec(shards("a", 3, "b"), matrix("b", "x", List.of("1", "2")))).accepted()).isTrue();

        CampaignTask b = dependsOn(matrix("b", "x", List.of("1", "2")), "a");
        assertThat(CampaignPlan.of("c", spec(shards("a", 3, "b"), b)).problems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(PlanProblem.DEPENDENCY_CYCLE);
            assertThat(p.message()).isEqualTo("dependency cycle: a -> b -> a");
        });
    }

    @Test
    void sweptTasksDoNotShareMutableStateWithEachOtherOrTheSpec() {
        CampaignTask t = shards("a", 2);
        io.hpcbridge.api.v1alpha1.Resources r = new io.hpcbridge.api.v1alpha1.Resources();
        r.setCpus(2);
        t.setResources(r);

        CampaignPlan plan = CampaignPlan.of("c", spec(t));

        assertThat(plan.tasks().get(0).getResources()).isNotSameAs(plan.tasks().get(1).getResources()).isNotSameAs(r);
        assertThat(plan.tasks().get(0).getParameters()).isNotSameAs(plan.tasks().get(1).getParameters());
        plan.tasks().get(0).getParameters().put("X", "y");
        assertThat(SweepExpansion.expand(t).get(0).parameters()).doesNotContainKey("X");
    }
}
