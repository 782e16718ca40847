package io.hpcbridge.gateway.slurm;

import io.hpcbridge.gateway.JobIdentity;
import io.hpcbridge.gateway.ResourceRequest;
import io.hpcbridge.gateway.SubmitRequest;
import io.hpcbridge.util.Durations;
import io.hpcbridge.util.Quantities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlurmCommandsTest {

    private static final JobIdentity ID = JobIdentity.of("ns", "task-a-1", "tok-123");

    private static SubmitRequest request(ResourceRequest r) {
        return new SubmitRequest(ID, "/scratch/u/w", "/scratch/u/w/job.sh", "/scratch/u/w/out.log", "/scratch/u/w/err.log", r, false);
    }

    private static ResourceRequest resources(Integer cpus, Long memory, Duration time, Integer gpus, Long disk, Integer nodes,
            Integer tasks, Map<String, String> options, Map<String, String> extras) {
        return new ResourceRequest(cpus, memory, time, gpus, disk, nodes, tasks, options, extras);
    }

    private static ResourceRequest options(String... nameValue) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put(nameValue[i], nameValue[i + 1]);
        }
        return resources(null, null, null, null, null, null, null, m, Map.of());
    }

    private static ResourceRequest extras(String... nameValue) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put(nameValue[i], nameValue[i + 1]);
        }
        return resources(null, null, null, null, null, null, null, Map.of(), m);
    }

    @Test
    void submitWithoutResources() {
        assertThat(SlurmCommands.submit(request(null))).containsExactly(
                "sbatch", "--parsable", "--job-name=hpcb.ns.task-a-1", "--comment=tok-123", "--chdir=/scratch/u/w",
                "--output=/scratch/u/w/out.log", "--error=/scratch/u/w/err.log", "--no-requeue", "/scratch/u/w/job.sh");
        assertThat(SlurmCommands.submit(request(ResourceRequest.NONE))).isEqualTo(SlurmCommands.submit(request(null)));
    }

    @Test
    void submitWithAllResources() {
        ResourceRequest r = resources(4, 4L << 30, Duration.ofHours(36), 2, 10L << 30, 2, 8,
                Map.of("partition", "gpu", "account", "proj42", "qos", "normal", "reservation", "maint", "constraint", "a100&ib",
                        "exclusive", "true"),
                new LinkedHashMap<>(Map.of("mail-type", "END,FAIL")));
        assertThat(SlurmCommands.submit(request(r))).containsExactly(
                "sbatch", "--parsable", "--job-name=hpcb.ns.task-a-1", "--comment=tok-123", "--chdir=/scratch/u/w",
                "--output=/scratch/u/w/out.log", "--error=/scratch/u/w/err.log", "--no-requeue",
                "--cpus-per-task=4", "--mem=4096M", "--time=1-12:00:00", "--partition=gpu", "--account=proj42",
                "--qos=normal", "--reservation=maint", "--constraint=a100&ib", "--exclusive", "--nodes=2", "--ntasks=8",
                "--gres=gpu:2", "--tmp=10240M", "--mail-type=END,FAIL", "/scratch/u/w/job.sh");
    }

    @Test
    void submitOmitsZeroGpus() {
        ResourceRequest r = resources(null, null, null, 0, null, null, null, Map.of(), Map.of());
        assertThat(SlurmCommands.submit(request(r))).noneMatch(a -> a.startsWith("--gres"));
    }

    @Test
    void submitEscapesSlurmFilenamePatterns() {
        SubmitRequest r = new SubmitRequest(ID, "/w", "/w/job.sh", "/w/100%.out", "/w/%j.err", null, false);
        assertThat(SlurmCommands.submit(r)).contains("--output=/w/100%%.out", "--error=/w/%%j.err");
    }

    static Stream<Arguments> invalidSubmits() {
        return Stream.of(
                Arguments.of(request(resources(0, null, null, null, null, null, null, null, null)), "resources.cpus"),
                Arguments.of(request(resources(null, null, null, -1, null, null, null, null, null)), "resources.gpus"),
                Arguments.of(request(resources(null, 0L, null, null, null, null, null, null, null)), "resources.memory"),
                Arguments.of(request(resources(null, null, Duration.ZERO, null, null, null, null, null, null)), "resources.time"),
                Arguments.of(request(resources(null, null, Duration.ofDays(3651), null, null, null, null, null, null)), "resources.time"),
                Arguments.of(request(resources(null, null, null, null, 0L, null, null, null, null)), "resources.disk"),
                Arguments.of(request(resources(null, null, null, null, null, 0, null, null, null)), "resources.slurm.nodes"),
                Arguments.of(request(resources(null, null, null, null, null, null, 0, null, null)), "resources.slurm.ntasks"),
                Arguments.of(request(options("partition", "a b")), "resources.slurm.partition"),
                Arguments.of(request(options("qos", "q\nx")), "resources.slurm.qos"),
                Arguments.of(request(options("account", " ")), "resources.slurm.account"),
                Arguments.of(request(options("wrap", "rm -rf")), "resources.slurm.wrap"),
                Arguments.of(request(extras("comment", "x")), "--comment is not allowed"),
                Arguments.of(request(extras("dependency", "afterok:1")), "--dependency is not allowed"),
                Arguments.of(request(extras("mail-type", "END\nX")), "--mail-type"),
                Arguments.of(new SubmitRequest(new JobIdentity("a|b", "t"), "/w", "/w/s", "/w/o", "/w/e", null, false), "identity.name"),
                Arguments.of(new SubmitRequest(new JobIdentity("a,b", "t"), "/w", "/w/s", "/w/o", "/w/e", null, false), "identity.name"),
                Arguments.of(new SubmitRequest(new JobIdentity("n", "t t"), "/w", "/w/s", "/w/o", "/w/e", null, false), "identity.token"),
                Arguments.of(new SubmitRequest(new JobIdentity("n", ""), "/w", "/w/s", "/w/o", "/w/e", null, false), "identity.token"),
                Arguments.of(new SubmitRequest(ID, "/w", "--wrap=rm", "/w/o", "/w/e", null, false), "scriptPath"),
                Arguments.of(new SubmitRequest(ID, "", "/w/s", "/w/o", "/w/e", null, false), "workDir"),
                Arguments.of(new SubmitRequest(ID, "/w", "/w/s", "/w/o\n", "/w/e", null, false), "stdoutPath"),
                Arguments.of(new SubmitRequest(ID, "/w", "/w/s", "/w/o", null, null, false), "stderrPath"));
    }

    @ParameterizedTest
    @MethodSource("invalidSubmits")
    void invalidSubmitNamesTheField(SubmitRequest r, String field) {
        assertThatThrownBy(() -> SlurmCommands.submit(r))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(field);
        if (r.resources() != null && field.startsWith("resources") || field.startsWith("--")) {
            assertThat(SlurmCommands.problems(r.resources())).anySatisfy(p -> assertThat(p).contains(field));
        }
    }

    @Test
    void everyAllowedExtraOptionPasses() {
        for (String name : SlurmCommands.ALLOWED_EXTRA_OPTIONS) {
            assertThat(SlurmCommands.problems(extras(name, "v"))).as(name).isEmpty();
            assertThat(SlurmCommands.submit(request(extras(name, "v")))).contains("--" + name + "=v");
        }
        assertThat(SlurmCommands.ALLOWED_EXTRA_OPTIONS).doesNotContain("job-name", "comment", "output", "error", "chdir", "requeue",
                "no-requeue", "parsable", "wrap", "array", "dependency");
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
    void memoryIsRoundedUpToMiB(String quantity, long mib) {
        assertThat(SlurmCommands.mebibytesRoundedUp(Quantities.bytes(quantity))).isEqualTo(mib);
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
        assertThat(SlurmCommands.slurmTime(Durations.parse(duration))).isEqualTo(slurm);
        assertThat(SlurmCommands.problems(resources(null, null, Durations.parse(duration), null, null, null, null, null, null))).isEmpty();
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
        var plain = new io.hpcbridge.gateway.SubmitRequest(id, "/w", "/w/job.sh", "/w/stdout", "/w/stderr", null, false);
        var allowed = new io.hpcbridge.gateway.SubmitRequest(id, "/w", "/w/job.sh", "/w/stdout", "/w/stderr", null, true);
        org.assertj.core.api.Assertions.assertThat(SlurmCommands.submit(plain)).contains("--no-requeue").doesNotContain("--requeue");
        org.assertj.core.api.Assertions.assertThat(SlurmCommands.submit(allowed)).contains("--requeue").doesNotContain("--no-requeue");
    }
}
