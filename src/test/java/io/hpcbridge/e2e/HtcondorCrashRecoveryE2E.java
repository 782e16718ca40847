package io.hpcbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Acceptance 4 of the HTCondor issue: ten kills of the operator at random points of a 50-task campaign on the HTCondor
 * pool, including right after condor_submit returned; afterwards condor_history (and condor_q, for anything still
 * queued) shows exactly one job per attempt and every task succeeded.
 */
class HtcondorCrashRecoveryE2E extends CrashRecoveryScenario {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected LoginNode loginNode() {
        return LoginNode.htcondor();
    }

    @Override
    protected String clusterName() {
        return "local-htcondor";
    }

    @Override
    protected void prepare(TestNamespace ns) {
        ns.kubectl().apply(new File("examples/htcondor/01-hpccluster.yaml")).orFail();
    }

    @Override
    protected String submitProgram() {
        return "condor_submit";
    }

    /** Jobs queued since the test began, from history and the queue, whose identity name starts with the prefix. */
    @Override
    protected Map<String, List<String>> jobsByName(String prefix) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (String command : List.of("condor_history", "condor_q")) {
            LoginNode.Result r = login.exec(command + " -json -constraint 'QDate >= " + startEpochSeconds
                    + "' -attributes ClusterId,ProcId,JobStatus,HpcBridgeName");
            assertThat(r.ok()).as("%s: %s", command, r.stderr()).isTrue();
            JsonNode ads;
            try {
                ads = JSON.readTree(r.stdout().isBlank() ? "[]" : r.stdout());
            } catch (IOException e) {
                throw new AssertionError(command + " printed no JSON: " + r.stdout(), e);
            }
            for (JsonNode ad : ads) {
                String name = ad.path("HpcBridgeName").asText("");
                if (name.startsWith(prefix)) {
                    String id = ad.path("ClusterId").asText() + "." + ad.path("ProcId").asText();
                    List<String> ids = byName.computeIfAbsent(name, k -> new ArrayList<>());
                    if (!ids.contains(id)) {
                        ids.add(id);
                    }
                    if (ad.path("JobStatus").asInt() != 4) {
                        System.out.println("[crash] " + command + ": " + name + " " + id + " JobStatus " + ad.path("JobStatus"));
                    }
                }
            }
        }
        return byName;
    }

    @Override
    protected String queueDiagnostics() {
        return login.exec("condor_q -nobatch 2>&1 | tail -30").stdout();
    }
}
