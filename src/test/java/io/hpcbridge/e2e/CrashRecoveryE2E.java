package io.hpcbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Acceptance 2 of the gateway issue, on Slurm: ten kills of the operator during a 50-task campaign, including right
 * after sbatch returned; afterwards sacct shows exactly one job per attempt and every task succeeded.
 */
class CrashRecoveryE2E extends CrashRecoveryScenario {

    @Override
    protected LoginNode loginNode() {
        return LoginNode.fromStack();
    }

    @Override
    protected String clusterName() {
        return "local-slurm";
    }

    @Override
    protected void prepare(TestNamespace ns) {
        // TestNamespace.create applied examples/01-hpccluster.yaml (local-slurm) already.
    }

    @Override
    protected String submitProgram() {
        return "sbatch";
    }

    /** sacct allocations since the test began whose name starts with the prefix: name to job ids. */
    @Override
    protected Map<String, List<String>> jobsByName(String prefix) {
        LoginNode.Result r = login.exec("sacct -X -n -P -S \"$(date -d @" + startEpochSeconds
                + " +%Y-%m-%dT%H:%M:%S)\" -o JobName%200,JobIDRaw,State");
        assertThat(r.ok()).as("sacct: %s", r.stderr()).isTrue();
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (String line : r.stdout().lines().toList()) {
            String[] f = line.split("\\|");
            if (f.length >= 2 && f[0].startsWith(prefix)) {
                byName.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]);
                if (f.length >= 3 && !f[2].equals("COMPLETED")) {
                    System.out.println("[crash] sacct: " + line);
                }
            }
        }
        return byName;
    }

    @Override
    protected String queueDiagnostics() {
        return login.exec("squeue --me -o '%i %j %T %r'").stdout();
    }
}
