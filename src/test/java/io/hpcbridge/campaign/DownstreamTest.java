package io.hpcbridge.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.hpcbridge.api.v1alpha1.TaskSpec;

class DownstreamTest {
    private static TaskSpec t(String name, String... deps) {
        TaskSpec s = new TaskSpec();
        s.setTaskName(name);
        s.setDependsOn(List.of(deps));
        return s;
    }

    @Test
    void transitiveDependentsInPlanOrder() {
        // a -> b, a -> c, b & c -> d, e independent
        Downstream d = new Downstream(List.of(t("a"), t("e"), t("b", "a"), t("c", "a"), t("d", "b", "c")));
        assertThat(d.of("a")).containsExactly("b", "c", "d");
        assertThat(d.of("b")).containsExactly("d");
        assertThat(d.of("d")).isEmpty();
        assertThat(d.of("e")).isEmpty();
        assertThat(d.of("unknown")).isEmpty();
    }
}
