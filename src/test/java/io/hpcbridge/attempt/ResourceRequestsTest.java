package io.hpcbridge.attempt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hpcbridge.api.v1alpha1.ClassAdAttribute;
import io.hpcbridge.api.v1alpha1.HtcondorResources;
import io.hpcbridge.api.v1alpha1.Resources;
import io.hpcbridge.api.v1alpha1.SbatchOption;
import io.hpcbridge.api.v1alpha1.SbatchOptionName;
import io.hpcbridge.api.v1alpha1.SchedulerType;
import io.hpcbridge.api.v1alpha1.SlurmResources;
import io.hpcbridge.gateway.ResourceRequest;

class ResourceRequestsTest {

    private static Resources both() {
        Resources r = new Resources();
        r.setCpus(2);
        r.setMemory("1Gi");
        r.setTime("1h30m");
        r.setGpus(1);
        r.setDisk("10Gi");
        SlurmResources s = new SlurmResources();
        s.setPartition("debug");
        s.setAccount("proj");
        s.setQos("normal");
        s.setReservation("maint");
        s.setConstraint("ib");
        s.setExclusive(true);
        s.setNodes(2);
        s.setNtasks(4);
        SbatchOption o = new SbatchOption();
        o.setName(SbatchOptionName.values()[0]);
        o.setValue("END");
        s.setOptions(List.of(o));
        r.setSlurm(s);
        HtcondorResources h = new HtcondorResources();
        h.setAccountingGroup("group_physics.alice");
        h.setRequirements("OpSys == \"LINUX\"");
        h.setRank("Memory");
        ClassAdAttribute a = new ClassAdAttribute();
        a.setName("WantGlidein");
        a.setValue("true");
        h.setAttributes(List.of(a));
        r.setHtcondor(h);
        return r;
    }

    @Test
    void commonFieldsAreParsedOnce() {
        ResourceRequest q = ResourceRequests.of(both(), SchedulerType.SLURM);
        assertThat(q.cpus()).isEqualTo(2);
        assertThat(q.memoryBytes()).isEqualTo(1L << 30);
        assertThat(q.wallTime()).isEqualTo(Duration.ofMinutes(90));
        assertThat(q.gpus()).isEqualTo(1);
        assertThat(q.diskBytes()).isEqualTo(10L << 30);
    }

    @Test
    void onlyTheClustersSchedulerSectionIsCarried() {
        ResourceRequest slurm = ResourceRequests.of(both(), SchedulerType.SLURM);
        assertThat(slurm.options()).containsExactly(Map.entry("partition", "debug"), Map.entry("account", "proj"),
                Map.entry("qos", "normal"), Map.entry("reservation", "maint"), Map.entry("constraint", "ib"),
                Map.entry("exclusive", "true"));
        assertThat(slurm.nodes()).isEqualTo(2);
        assertThat(slurm.tasks()).isEqualTo(4);
        assertThat(slurm.extras()).containsExactly(Map.entry(SbatchOptionName.values()[0].option(), "END"));

        ResourceRequest condor = ResourceRequests.of(both(), SchedulerType.HTCONDOR);
        assertThat(condor.options()).containsExactly(Map.entry("accounting_group", "group_physics.alice"),
                Map.entry("requirements", "OpSys == \"LINUX\""), Map.entry("rank", "Memory"));
        assertThat(condor.extras()).containsExactly(Map.entry("WantGlidein", "true"));
        assertThat(condor.nodes()).isNull();
        assertThat(condor.tasks()).isNull();
    }

    @Test
    void noResourcesIsAnEmptyRequest() {
        assertThat(ResourceRequests.of(null, SchedulerType.SLURM)).isEqualTo(ResourceRequest.NONE);
    }

    @ParameterizedTest
    @CsvSource({"memory, lots, resources.memory", "time, forever, resources.time", "disk, 1 Gi, resources.disk"})
    void unreadableValuesNameTheirField(String field, String value, String named) {
        Resources r = new Resources();
        switch (field) {
            case "memory" -> r.setMemory(value);
            case "time" -> r.setTime(value);
            default -> r.setDisk(value);
        }
        assertThatThrownBy(() -> ResourceRequests.of(r, SchedulerType.SLURM)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named);
    }

    @Test
    void anAttributeGivenTwiceIsRefused() {
        Resources r = both();
        ClassAdAttribute a = new ClassAdAttribute();
        a.setName("WantGlidein");
        a.setValue("false");
        r.getHtcondor().setAttributes(List.of(r.getHtcondor().getAttributes().get(0), a));
        assertThatThrownBy(() -> ResourceRequests.of(r, SchedulerType.HTCONDOR)).hasMessageContaining("WantGlidein is given twice");
    }
}
