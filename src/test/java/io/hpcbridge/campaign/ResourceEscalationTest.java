package io.hpcbridge.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.hpcbridge.api.v1alpha1.AttemptPhase;
import io.hpcbridge.api.v1alpha1.ClassAdAttribute;
import io.hpcbridge.api.v1alpha1.Escalation;
import io.hpcbridge.api.v1alpha1.HtcondorResources;
import io.hpcbridge.api.v1alpha1.Resources;
import io.hpcbridge.api.v1alpha1.SlurmResources;
import io.hpcbridge.api.v1alpha1.TaskAttempt;
import io.hpcbridge.api.v1alpha1.TaskAttemptSpec;
import io.hpcbridge.api.v1alpha1.TaskAttemptStatus;
import io.hpcbridge.campaign.ResourceEscalation.Escalated;

class ResourceEscalationTest {
    private static final String OOM = "OutOfMemory";
    private static final String TIMEOUT = "Timeout";

    /** One row: what the next attempt must ask for, and a fragment its note must contain (null: no note). */
    record Row(String name, Resources base, Escalation escalate, List<TaskAttempt> earlier, String memory, String time,
            String note) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        Escalation mem2 = esc(2.0, null, null, null);
        Escalation time2 = esc(null, null, 2.0, null);
        Escalation both2 = esc(2.0, null, 2.0, null);
        return Stream.of(
                // nothing to escalate from
                new Row("first attempt uses base", res("1Gi", "1h"), both2, List.of(), "1Gi", "1h", null),
                new Row("null attempt list uses base", res("1Gi", "1h"), both2, null, "1Gi", "1h", null),
                new Row("no escalate: base, even after OOM", res("1Gi", "1h"), null,
                        List.of(attempt(1, OOM, res("4Gi", "3h"))), "1Gi", "1h", null),
                new Row("factor 1 escalates nothing", res("1Gi", "1h"), esc(1.0, null, 1.0, null),
                        List.of(attempt(1, OOM, res("1Gi", "1h"))), "1Gi", "1h", null),
                new Row("factor below 1 never shrinks", res("1Gi", "1h"), esc(0.5, null, 0.5, null),
                        List.of(attempt(1, OOM, res("1Gi", "1h"))), "1Gi", "1h", null),

                // memory
                new Row("OOM doubles memory", res("1Gi", "1h"), mem2,
                        List.of(attempt(1, OOM, res("1Gi", "1h"))), "2Gi", "1h",
                        "memory 1Gi -> 2Gi after OutOfMemory of attempt t-1"),
                new Row("1.5 of 1Gi is 1536Mi", res("1Gi", "1h"), esc(1.5, null, null, null),
                        List.of(attempt(1, OOM, res("1Gi", "1h"))), "1536Mi", "1h", "memory 1Gi -> 1536Mi"),
                new Row("1.5 of 2Gi is a tidy 3Gi", res("2Gi", null), esc(1.5, null, null, null),
                        List.of(attempt(1, OOM, res("2Gi", null))), "3Gi", null, "memory 2Gi -> 3Gi"),
                new Row("rounded up to whole MiB", res("3Mi", null), esc(1.3, null, null, null),
                        List.of(attempt(1, OOM, res("3Mi", null))), "4Mi", null, "memory 3Mi -> 4Mi"),
                new Row("decimal units become MiB", res("1G", null), mem2,
                        List.of(attempt(1, OOM, res("1G", null))), "1908Mi", null, "memory 1G -> 1908Mi"),
                new Row("memory capped at maxMemory", res("4Gi", "1h"), esc(2.0, "6Gi", null, null),
                        List.of(attempt(1, OOM, res("4Gi", "1h"))), "6Gi", "1h",
                        "memory 4Gi -> 6Gi after OutOfMemory of attempt t-1 (capped at maxMemory 6Gi)"),
                new Row("exactly reaching maxMemory is not capping", res("3Gi", null), esc(2.0, "6Gi", null, null),
                        List.of(attempt(1, OOM, res("3Gi", null))), "6Gi", null, "memory 3Gi -> 6Gi after OutOfMemory of attempt t-1"),
                new Row("memory already at maxMemory", res("1Gi", "1h"), esc(2.0, "6Gi", null, null),
                        List.of(attempt(3, OOM, res("6Gi", "1h"))), "6Gi", "1h",
                        "memory 6Gi not raised after OutOfMemory of attempt t-3: already at maxMemory 6Gi"),
                new Row("memory above maxMemory is not lowered", res("8Gi", null), esc(2.0, "6Gi", null, null),
                        List.of(attempt(1, OOM, res("8Gi", null))), "8Gi", null, "already above maxMemory 6Gi"),
                new Row("memory unset stays unset", res(null, "1h"), mem2,
                        List.of(attempt(1, OOM, res(null, "1h"))), null, "1h",
                        "memory unset, nothing to multiply after OutOfMemory of attempt t-1"),
                new Row("no frozen resources at all", null, mem2,
                        List.of(attempt(1, OOM, null)), null, null, "memory unset, nothing to multiply"),
                new Row("unreadable memory is left alone", res("lots", null), mem2,
                        List.of(attempt(1, OOM, res("lots", null))), "lots", null, "memory lots not raised"),
                new Row("OOM without memoryFactor", res("1Gi", "1h"), time2,
                        List.of(attempt(1, OOM, res("1Gi", "1h"))), "1Gi", "1h", null),

                // time
                new Row("Timeout doubles time", res("1Gi", "1h"), time2,
                        List.of(attempt(1, TIMEOUT, res("1Gi", "1h"))), "1Gi", "2h",
                        "time 1h -> 2h after Timeout of attempt t-1"),
                // whole seconds only: rounding to a scheduler's granularity (Slurm's minutes) is the adapter's
                new Row("90s * 1.5 = 135s, not rounded to minutes", res(null, "90s"), esc(null, null, 1.5, null),
                        List.of(attempt(1, TIMEOUT, res(null, "90s"))), null, "2m15s", "time 90s -> 2m15s"),
                new Row("1m * 1.01 = 60.6s rounds up to 61s", res(null, "1m"), esc(null, null, 1.01, null),
                        List.of(attempt(1, TIMEOUT, res(null, "1m"))), null, "1m1s", "time 1m -> 1m1s"),
                new Row("1h * 1.001 = 3603.6s rounds up to 3604s", res(null, "1h"), esc(null, null, 1.001, null),
                        List.of(attempt(1, TIMEOUT, res(null, "1h"))), null, "1h4s", "time 1h -> 1h4s"),
                new Row("1s * 1.5 rounds up to 2s", res(null, "1s"), esc(null, null, 1.5, null),
                        List.of(attempt(1, TIMEOUT, res(null, "1s"))), null, "2s", "time 1s -> 2s"),
                new Row("45m * 2 is written 1h30m", res(null, "45m"), time2,
                        List.of(attempt(1, TIMEOUT, res(null, "45m"))), null, "1h30m", "time 45m -> 1h30m"),
                new Row("1d * 1.5 is 1d12h", res(null, "1d"), esc(null, null, 1.5, null),
                        List.of(attempt(1, TIMEOUT, res(null, "1d"))), null, "1d12h", "time 1d -> 1d12h"),
                new Row("time capped at maxTime", res("1Gi", "1h"), esc(null, null, 2.0, "90m"),
                        List.of(attempt(1, TIMEOUT, res("1Gi", "1h"))), "1Gi", "90m",
                        "time 1h -> 90m after Timeout of attempt t-1 (capped at maxTime 90m)"),
                new Row("time already at maxTime", res(null, "1h"), esc(null, null, 2.0, "90m"),
                        List.of(attempt(2, TIMEOUT, res(null, "1h30m"))), null, "1h30m",
                        "time 1h30m not raised after Timeout of attempt t-2: already at maxTime 90m"),
                new Row("time unset stays unset", res("1Gi", null), time2,
                        List.of(attempt(1, TIMEOUT, res("1Gi", null))), "1Gi", null,
                        "time unset, nothing to multiply after Timeout of attempt t-1"),
                new Row("Timeout without timeFactor", res("1Gi", "1h"), mem2,
                        List.of(attempt(1, TIMEOUT, res("1Gi", "1h"))), "1Gi", "1h", null),

                // other reasons carry the newest frozen values
                new Row("NonZeroExit carries the escalated values", res("1Gi", "1h"), both2,
                        List.of(attempt(1, OOM, res("1Gi", "1h")), attempt(2, "NonZeroExit", res("2Gi", "1h"))),
                        "2Gi", "1h", null),
                new Row("attempt without status carries its values", res("1Gi", "1h"), both2,
                        List.of(attempt(1, OOM, res("1Gi", "1h")), attempt(2, null, res("2Gi", "1h"))), "2Gi", "1h", null),

                // compounding: each attempt starts from the newest one's frozen values, whatever the list order
                new Row("compounds over three OOMs", res("1Gi", "1h"), mem2,
                        List.of(attempt(3, OOM, res("4Gi", "1h")), attempt(1, OOM, res("1Gi", "1h")),
                                attempt(2, OOM, res("2Gi", "1h"))),
                        "8Gi", "1h", "memory 4Gi -> 8Gi after OutOfMemory of attempt t-3"),
                new Row("compounds 1.5 over three OOMs", res("1Gi", null), esc(1.5, null, null, null),
                        List.of(attempt(1, OOM, res("1Gi", null)), attempt(2, OOM, res("1536Mi", null)),
                                attempt(3, OOM, res("2304Mi", null))),
                        "3456Mi", null, "memory 2304Mi -> 3456Mi"),
                new Row("newest Timeout after older OOM escalates only time", res("1Gi", "1h"), both2,
                        List.of(attempt(1, OOM, res("1Gi", "1h")), attempt(2, TIMEOUT, res("2Gi", "1h"))),
                        "2Gi", "2h", "time 1h -> 2h after Timeout of attempt t-2"),
                new Row("null entries and spec-less attempts are ignored", res("1Gi", "1h"), mem2,
                        Arrays.asList(null, attempt(1, OOM, res("1Gi", "1h")), specless()), "2Gi", "1h", "memory 1Gi -> 2Gi"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decidesTheNextAttemptsResources(Row row) {
        Escalated next = ResourceEscalation.next(row.base(), row.escalate(), row.earlier());

        if (row.memory() == null && row.time() == null && next.resources() == null) {
            // nothing to ask for: null is as good as empty
        } else {
            assertThat(next.resources()).isNotNull();
            assertThat(next.resources().getMemory()).as("memory").isEqualTo(row.memory());
            assertThat(next.resources().getTime()).as("time").isEqualTo(row.time());
            // the other fields travel unchanged
            assertThat(next.resources().getCpus()).isEqualTo(4);
            assertThat(next.resources().getDisk()).isEqualTo("10Gi");
            assertThat(next.resources().getSlurm().getPartition()).isEqualTo("batch");
            assertThat(next.resources().getHtcondor().getAttributes()).extracting(ClassAdAttribute::getName).containsExactly("Project");
        }
        if (row.note() == null) {
            assertThat(next.note()).as("note").isNull();
        } else {
            assertThat(next.note()).as("note").contains(row.note());
        }
    }

    /** Feeding each result back as the next frozen attempt, as the reconciler does: 1Gi, 2Gi, 4Gi, capped 6Gi, stays. */
    @Test
    void compoundsWhenEachResultIsFrozenIntoTheNextAttempt() {
        Resources base = res("1Gi", "1h");
        Escalation escalate = esc(2.0, "6Gi", 2.0, "3h");
        List<TaskAttempt> attempts = new ArrayList<>();
        List<String> memories = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int index = 1; index <= 5; index++) {
            Escalated next = ResourceEscalation.next(base, escalate, attempts);
            memories.add(next.resources().getMemory());
            notes.add(next.note());
            attempts.add(attempt(index, OOM, next.resources()));
        }
        assertThat(memories).containsExactly("1Gi", "2Gi", "4Gi", "6Gi", "6Gi");
        assertThat(notes.get(0)).isNull();
        assertThat(notes.get(3)).contains("capped at maxMemory 6Gi");
        assertThat(notes.get(4)).contains("already at maxMemory 6Gi");
        assertThat(attempts).allSatisfy(a -> assertThat(a.getSpec().getResources().getTime()).isEqualTo("1h"));
    }

    @Test
    void neverMutatesItsInputsAndAlwaysReturnsAFreshCopy() {
        Resources base = res("1Gi", "1h");
        Escalation escalate = esc(2.0, "6Gi", 2.0, "3h");
        TaskAttempt first = attempt(1, OOM, res("1Gi", "1h"));
        TaskAttempt second = attempt(2, TIMEOUT, res("2Gi", "1h"));
        List<TaskAttempt> attempts = List.of(second, first);
        String before = Serialization.asJson(List.of(base, escalate, first, second));

        Escalated fromAttempts = ResourceEscalation.next(base, escalate, attempts);
        Escalated fromBase = ResourceEscalation.next(base, escalate, List.of());
        Escalated unescalated = ResourceEscalation.next(base, null, attempts);

        assertThat(fromAttempts.resources().getTime()).isEqualTo("2h");
        assertThat(Serialization.asJson(List.of(base, escalate, first, second))).isEqualTo(before);
        assertThat(fromAttempts.resources()).isNotSameAs(second.getSpec().getResources()).isNotSameAs(base);
        assertThat(fromBase.resources()).isNotSameAs(base).usingRecursiveComparison().isEqualTo(base);
        assertThat(unescalated.resources()).isNotSameAs(base).usingRecursiveComparison().isEqualTo(base);
    }

    /** Every field of Resources and of its sections, including ones added later, must survive the copy. */
    @Test
    void carriesEveryResourcesField() throws Exception {
        Resources full = filled(Resources.class);
        Escalated next = ResourceEscalation.next(new Resources(), esc(2.0, null, null, null),
                List.of(attempt(1, "NonZeroExit", full)));

        assertThat(next.resources()).isNotSameAs(full).usingRecursiveComparison().isEqualTo(full);
        assertThat(next.resources().getSlurm()).isNotSameAs(full.getSlurm());
        assertThat(next.resources().getHtcondor().getAttributes()).isNotSameAs(full.getHtcondor().getAttributes());
        assertThat(ResourceEscalation.next(full, null, null).resources()).usingRecursiveComparison().isEqualTo(full);
    }

    /** An object of an API class with every field set, recursively; fails for a field type it does not know. */
    private static <T> T filled(Class<T> type) throws Exception {
        T object = type.getDeclaredConstructor().newInstance();
        int n = 0;
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            f.setAccessible(true);
            n++;
            if (f.getType() == Integer.class) {
                f.set(object, 100 + n);
            } else if (f.getType() == Boolean.class) {
                f.set(object, true);
            } else if (f.getType() == String.class) {
                f.set(object, f.getName().equals("memory") || f.getName().equals("disk") ? "1Gi" : f.getName().equals("time") ? "1h" : "v" + n);
            } else if (f.getType().isEnum()) {
                f.set(object, f.getType().getEnumConstants()[n % f.getType().getEnumConstants().length]);
            } else if (f.getType() == List.class) {
                Class<?> item = (Class<?>) ((java.lang.reflect.ParameterizedType) f.getGenericType()).getActualTypeArguments()[0];
                f.set(object, new ArrayList<>(List.of(filled(item), filled(item))));
            } else if (f.getType().getPackage().equals(Resources.class.getPackage())) {
                f.set(object, filled(f.getType()));
            } else {
                throw new AssertionError("extend this test for " + type.getSimpleName() + "." + f.getName());
            }
        }
        return object;
    }

    @Test
    void nullAndEmptyInputs() {
        assertThat(ResourceEscalation.next(null, null, null)).isEqualTo(new Escalated(null, null));
        assertThat(ResourceEscalation.next(null, esc(2.0, null, 2.0, null), List.of())).isEqualTo(new Escalated(null, null));
        assertThat(ResourceEscalation.next(null, new Escalation(), List.of(attempt(1, OOM, res("1Gi", "1h")))))
                .isEqualTo(new Escalated(null, null));
        Escalated named = ResourceEscalation.next(null, esc(2.0, null, null, null), List.of(unnamed(4, OOM, res("1Gi", null))));
        assertThat(named.resources().getMemory()).isEqualTo("2Gi");
        assertThat(named.note()).isEqualTo("memory 1Gi -> 2Gi after OutOfMemory of attempt #4");
    }

    // ---- builders ----

    private static Resources res(String memory, String time) {
        Resources r = new Resources();
        r.setCpus(4);
        r.setDisk("10Gi");
        SlurmResources slurm = new SlurmResources();
        slurm.setPartition("batch");
        r.setSlurm(slurm);
        HtcondorResources htcondor = new HtcondorResources();
        htcondor.setAttributes(new ArrayList<>(List.of(new ClassAdAttribute("Project", "\"x\""))));
        r.setHtcondor(htcondor);
        r.setMemory(memory);
        r.setTime(time);
        return r;
    }

    private static Escalation esc(Double memoryFactor, String maxMemory, Double timeFactor, String maxTime) {
        Escalation e = new Escalation();
        e.setMemoryFactor(memoryFactor);
        e.setMaxMemory(maxMemory);
        e.setTimeFactor(timeFactor);
        e.setMaxTime(maxTime);
        return e;
    }

    private static TaskAttempt attempt(int index, String reason, Resources resources) {
        TaskAttempt a = unnamed(index, reason, resources);
        a.setMetadata(new ObjectMetaBuilder().withName("t-" + index).build());
        return a;
    }

    private static TaskAttempt unnamed(int index, String reason, Resources resources) {
        TaskAttempt a = new TaskAttempt();
        a.setMetadata(null);
        TaskAttemptSpec spec = new TaskAttemptSpec();
        spec.setIndex(index);
        spec.setResources(resources);
        a.setSpec(spec);
        if (reason != null) {
            TaskAttemptStatus status = new TaskAttemptStatus();
            status.setPhase(AttemptPhase.Failed);
            status.setReason(reason);
            a.setStatus(status);
        } else {
            a.setStatus(null);
        }
        return a;
    }

    /** An attempt with a higher index but no spec must not count as the newest. */
    private static TaskAttempt specless() {
        TaskAttempt a = new TaskAttempt();
        a.setMetadata(new ObjectMetaBuilder().withName("t-9").build());
        a.setSpec(null);
        TaskAttemptStatus status = new TaskAttemptStatus();
        status.setReason(TIMEOUT);
        a.setStatus(status);
        return a;
    }
}
