package io.hpcbridge.gateway.slurm;

import io.hpcbridge.api.v1alpha1.Resources;
import io.hpcbridge.api.v1alpha1.SlurmResources;
import io.hpcbridge.gateway.JobIdentity;
import io.hpcbridge.gateway.SubmitRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlurmCommandsTest {

    private static final JobIdentity ID = JobIdentity.of("ns", "task-a-1", "tok-123");

    private static SubmitRequest request(Resources r) {
        return new SubmitRequest(ID, "/scratch/u/w", "/scratch/u/w/job.sh", "/scratch/u/w/out.log", "/scratch/u/w/err.log", r);
    }

    private static Resources resources(Consumer<Resources> c) {
        Resources r = new Resources();
        c.accept(r);
        return r;
    }

    @Test
    void submitWithoutResources() {
        assertThat(SlurmCommands.submit(request(null))).containsExactly(
                "sbatch", "--parsable", "--job-name=hpcb.ns.task-a-1", "--comment=tok-123", "--chdir=/scratch/u/w",
                "--output=/scratch/u/w/out.log", "--error=/scratch/u/w/err.log", "--no-requeue", "/scratch/u/w/job.sh");
    }

    @Test
    void submitWithAllResources() {
        Resources r = resources(x -> {
            x.setCpus(4);
            x.setMemory("4Gi");
            x.setTime("1d12h");
            x.setSlurm(new SlurmResources());
            x.getSlurm().setPartition("gpu");
            x.getSlurm().setAccount("proj42");
            x.getSlurm().setQos("normal");
            x.setGpus(2);
        });
        assertThat(SlurmCommands.submit(request(r))).containsExactly(
                "sbatch", "--parsable", "--job-name=hpcb.ns.task-a-1", "--comment=tok-123", "--chdir=/scratch/u/w",
                "--output=/scratch/u/w/out.log", "--error=/scratch/u/w/err.log", "--no-requeue",
                "--cpus-per-task=4", "--mem=4096M", "--time=1-12:00:00", "--partition=gpu", "--account=proj42",
                "--qos=normal", "--gres=gpu:2", "/scratch/u/w/job.sh");
    }

    @Test
    void submitOmitsZeroGpusAndBlankStrings() {
        Resources r = resources(x -> {
            x.setGpus(0);
            x.setSlurm(new SlurmResources());
            x.getSlurm().setPartition(" ");
            x.getSlurm().setAccount("");
        });
        assertThat(SlurmCommands.submit(request(r))).noneMatch(a -> a.startsWith("--gres") || a.startsWith("--partition")
                || a.startsWith("--account"));
    }

    @Test
    void submitEscapesSlurmFilenamePatterns() {
        SubmitRequest r = new SubmitRequest(ID, "/w", "/w/job.sh", "/w/100%.out", "/w/%j.err", null);
        assertThat(SlurmCommands.submit(r)).contains("--output=/w/100%%.out", "--error=/w/%%j.err");
    }

    static Stream<Arguments> invalidSubmits() {
        return Stream.of(
                Arguments.of(request(resources(x -> x.setCpus(0))), "resources.cpus"),
                Arguments.of(request(resources(x -> x.setGpus(-1))), "resources.gpus"),
                Arguments.of(request(resources(x -> x.setMemory("lots"))), "resources.memory"),
                Arguments.of(request(resources(x -> x.setTime("forever"))), "resources.time"),
                Arguments.of(request(resources(x -> {
                    x.setSlurm(new SlurmResources());
                    x.getSlurm().setPartition("a b");
                })), "resources.slurm.partition"),
                Arguments.of(request(resources(x -> {
                    x.setSlurm(new SlurmResources());
                    x.getSlurm().setQos("q\nx");
                })), "resources.slurm.qos"),
                Arguments.of(new SubmitRequest(new JobIdentity("a|b", "t"), "/w", "/w/s", "/w/o", "/w/e", null), "identity.name"),
                Arguments.of(new SubmitRequest(new JobIdentity("a,b", "t"), "/w", "/w/s", "/w/o", "/w/e", null), "identity.name"),
                Arguments.of(new SubmitRequest(new JobIdentity("n", "t t"), "/w", "/w/s", "/w/o", "/w/e", null), "identity.token"),
                Arguments.of(new SubmitRequest(new JobIdentity("n", ""), "/w", "/w/s", "/w/o", "/w/e", null), "identity.token"),
                Arguments.of(new SubmitRequest(ID, "/w", "--wrap=rm", "/w/o", "/w/e", null), "scriptPath"),
                Arguments.of(new SubmitRequest(ID, "", "/w/s", "/w/o", "/w/e", null), "workDir"),
                Arguments.of(new SubmitRequest(ID, "/w", "/w/s", "/w/o\n", "/w/e", null), "stdoutPath"),
                Arguments.of(new SubmitRequest(ID, "/w", "/w/s", "/w/o", null, null), "stderrPath"));
    }

    @ParameterizedTest
    @MethodSource("invalidSubmits")
    void invalidSubmitNamesTheField(SubmitRequest r, String field) {
        assertThatThrownBy(() -> SlurmCommands.submit(r))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(field);
    }

    @ParameterizedTest(name = "{0} -> {1}M")
    @CsvSource({
            "512Mi, 512",
            "4Gi, 4096",
            "1G, 954",
            "1000000, 1",
            "1, 1",
            "1.5Gi, 1536",
            "1Ti, 1048576",
            "1024Ki, 1",
            "1025Ki, 2",
            "2000k, 2",
            "2000K, 2",
            "1M, 1",
            "100M, 96",
            "1048576, 1",
            "1048577, 2",
            "0.5Mi, 1",
            "1T, 953675",
            "1Pi, 1073741824",
            "1Ei, 1099511627776",
    })
    void memory(String quantity, long mib) {
        assertThat(SlurmCommands.memoryMiB(quantity)).isEqualTo(mib);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "0Mi", "0.0Gi", "-1Gi", "1 Gi", "1gi", "1Gb", "1e9", "Gi", "100m", "1.Gi"})
    void invalidMemory(String quantity) {
        assertThatThrownBy(() -> SlurmCommands.memoryMiB(quantity))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resources.memory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "0.001Mi", "0.0000001Gi"})
    void anyPositiveFractionRoundsUpToOneMiB(String quantity) {
        assertThat(SlurmCommands.memoryMiB(quantity)).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "30m, 0-00:30:00",
            "1h30m, 0-01:30:00",
            "90m, 0-01:30:00",
            "2d, 2-00:00:00",
            "45s, 0-00:00:45",
            "1d12h, 1-12:00:00",
            "1d2h3m4s, 1-02:03:04",
            "36h, 1-12:00:00",
            "61s, 0-00:01:01",
            "1h1h, 0-02:00:00",
            "3650d, 3650-00:00:00",
    })
    void time(String duration, String slurm) {
        assertThat(SlurmCommands.slurmTime(duration)).isEqualTo(slurm);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0s", "0m0s", "30", "1w", "1.5h", "h", "-1h", "1H", "1h 30m", "3651d",
            "99999999999999999999d"})
    void invalidTime(String duration) {
        assertThatThrownBy(() -> SlurmCommands.slurmTime(duration))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resources.time");
    }

    @Test
    void squeueAllNamesNoJob() {
        assertThat(SlurmCommands.squeueAll()).containsExactly(
                "env", "TZ=UTC", "SLURM_TIME_FORMAT=standard", "squeue", "--me", "--noheader", "--states=all",
                "--format=%i|%T|%r|%V|%S|%k|%j");
    }

    @Test
    void squeueByName() {
        assertThat(SlurmCommands.squeueByName("hpcb.ns.a")).containsExactly(
                "env", "TZ=UTC", "SLURM_TIME_FORMAT=standard", "squeue", "--me", "--noheader", "--states=all",
                "--name=hpcb.ns.a", "--format=%i|%T|%r|%V|%S|%k|%j");
    }

    @Test
    void sacctJobs() {
        assertThat(SlurmCommands.sacctJobs(List.of("1", "2", "3_4"))).containsExactly(
                "env", "TZ=UTC", "SLURM_TIME_FORMAT=standard", "sacct", "--noheader", "--parsable2", "--allocations",
                "--jobs=1,2,3_4",
                "--format=JobIDRaw,State,ExitCode,Submit,Start,End,Elapsed,MaxRSS,NodeList,Reason,Comment,JobName");
    }

    @ParameterizedTest(name = "{0} ids -> {1} commands")
    @CsvSource({"1, 1", "199, 1", "200, 1", "201, 2", "400, 2", "450, 3", "1000, 5"})
    void sacctChunks(int ids, int commands) {
        List<String> all = IntStream.range(0, ids).mapToObj(i -> Integer.toString(1000 + i)).toList();
        List<List<String>> cmds = SlurmCommands.sacctJobsChunked(all);
        assertThat(cmds).hasSize(commands);
        List<String> seen = new ArrayList<>();
        for (List<String> c : cmds) {
            String jobs = c.stream().filter(a -> a.startsWith("--jobs=")).findFirst().orElseThrow();
            List<String> chunk = List.of(jobs.substring("--jobs=".length()).split(","));
            assertThat(chunk).hasSizeLessThanOrEqualTo(200);
            seen.addAll(chunk);
        }
        assertThat(seen).containsExactlyElementsOf(all);
    }

    @Test
    void sacctRefusesEmptyOrTooMany() {
        assertThatThrownBy(() -> SlurmCommands.sacctJobs(List.of())).isInstanceOf(IllegalArgumentException.class);
        List<String> many = IntStream.range(0, 201).mapToObj(Integer::toString).toList();
        assertThatThrownBy(() -> SlurmCommands.sacctJobs(many)).isInstanceOf(IllegalArgumentException.class);
        assertThat(SlurmCommands.sacctJobsChunked(List.of())).isEmpty();
    }

    @Test
    void sacctByNameStartsOneDayBeforeSince() {
        assertThat(SlurmCommands.sacctByName("hpcb.ns.a", Instant.parse("2026-11-23T11:22:33Z"))).containsExactly(
                "env", "TZ=UTC", "SLURM_TIME_FORMAT=standard", "sacct", "--noheader", "--parsable2", "--allocations",
                "--name=hpcb.ns.a", "--starttime=2026-11-22T11:22:33",
                "--format=JobIDRaw,State,ExitCode,Submit,Start,End,Elapsed,MaxRSS,NodeList,Reason,Comment,JobName");
    }

    @ParameterizedTest(name = "{0} ids -> {1} commands")
    @CsvSource({"0, 0", "1, 1", "100, 1", "101, 2", "250, 3"})
    void cancelChunks(int ids, int commands) {
        List<String> all = IntStream.range(0, ids).mapToObj(i -> Integer.toString(1 + i)).toList();
        List<List<String>> cmds = SlurmCommands.cancel(all);
        assertThat(cmds).hasSize(commands);
        assertThat(cmds).allSatisfy(c -> {
            assertThat(c.get(0)).isEqualTo("scancel");
            assertThat(c).hasSizeBetween(2, 101);
        });
        assertThat(cmds.stream().flatMap(c -> c.stream().skip(1)).toList()).containsExactlyElementsOf(all);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "--user=bob", "12 34", "12;rm", "abc", "12.batch", "12_", "12+"})
    void jobIdListsRejectNonIds(String id) {
        assertThat(SlurmCommands.isJobId(id)).isFalse();
        assertThatThrownBy(() -> SlurmCommands.cancel(List.of("1", id))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SlurmCommands.sacctJobs(List.of(id))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "123456789", "123_4", "123_[1-3]", "123_[1-3%2]", "123_[1,5]", "123+0"})
    void jobIdsAccepted(String id) {
        assertThat(SlurmCommands.isJobId(id)).isTrue();
    }

    @Test
    void version() {
        assertThat(SlurmCommands.version()).containsExactly("sbatch", "--version");
    }

    @org.junit.jupiter.api.Test
    void requeueIsForbiddenUnlessTheClusterAllowsIt() {
        var id = io.hpcbridge.gateway.JobIdentity.of("ns", "camp-t-1", "uid-1");
        var plain = new io.hpcbridge.gateway.SubmitRequest(id, "/w", "/w/job.sh", "/w/stdout", "/w/stderr", null);
        var allowed = new io.hpcbridge.gateway.SubmitRequest(id, "/w", "/w/job.sh", "/w/stdout", "/w/stderr", null, true);
        org.assertj.core.api.Assertions.assertThat(SlurmCommands.submit(plain)).contains("--no-requeue").doesNotContain("--requeue");
        org.assertj.core.api.Assertions.assertThat(SlurmCommands.submit(allowed)).contains("--requeue").doesNotContain("--no-requeue");
    }
}
