package io.hpcbridge.e2e;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * A fresh namespace on the real API server with the login node's Secret and the example HpcCluster, for one test
 * class. Objects are read back through kubectl, as a user would.
 */
public final class TestNamespace implements AutoCloseable {
    private final Kubectl kubectl;
    private final String name;

    private TestNamespace(Kubectl kubectl, String name) {
        this.kubectl = kubectl;
        this.name = name;
    }

    /** Creates the namespace (deleting a leftover of an earlier run first), CRDs, Secret and the example cluster. */
    public static TestNamespace create(String prefix) {
        TestNamespace ns = withCredentials(prefix);
        ns.kubectl.apply(new File("examples/01-hpccluster.yaml")).orFail();
        return ns;
    }

    /** Creates the namespace with the CRDs and the login node's Secret only: the test applies the HpcCluster itself. */
    public static TestNamespace withCredentials(String prefix) {
        StackEnv env = StackEnv.load();
        Kubectl k = Kubectl.fromStack();
        String ns = prefix + "-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        k.apply(new File("deploy/crds")).orFail();
        k.run("wait", "--for=condition=Established", "--timeout=60s", "-f", "deploy/crds").orFail();
        k.run("create", "namespace", ns).orFail();
        Kubectl in = k.inNamespace(ns);
        in.run("create", "secret", "generic", "hpc-login", "--from-file=ssh-privatekey=" + env.require("HPCB_SSH_KEY"),
                "--from-file=known_hosts=" + env.require("HPCB_KNOWN_HOSTS")).orFail();
        // The HTCondor pool's login node has its own host key (examples/htcondor/01-hpccluster.yaml names this Secret).
        env.get("HPCB_CONDOR_KNOWN_HOSTS").ifPresent(knownHosts -> in.run("create", "secret", "generic", "htcondor-login",
                "--from-file=ssh-privatekey=" + env.require("HPCB_SSH_KEY"), "--from-file=known_hosts=" + knownHosts).orFail());
        return new TestNamespace(in, ns);
    }

    public String name() {
        return name;
    }

    public Kubectl kubectl() {
        return kubectl;
    }

    /** All objects of a kind (plural or short name) matching a label selector, as typed objects. */
    public <T> List<T> list(String kind, String selector, Class<T> type) {
        String json = kubectl.run("get", kind, "-l", selector, "-o", "json").orFail().stdout();
        List<T> out = new ArrayList<>();
        try {
            for (JsonNode item : Serialization.jsonMapper().readTree(json).get("items")) {
                out.add(Serialization.jsonMapper().convertValue(item, type));
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("kubectl printed no JSON: " + json, e);
        }
        return out;
    }

    public <T> T get(String kind, String objectName, Class<T> type) {
        String json = kubectl.run("get", kind, objectName, "-o", "json").orFail().stdout();
        return Serialization.unmarshal(json, type);
    }

    @Override
    public void close() {
        // Keeps the namespace when asked to, for looking at a failed run afterwards.
        if (!Boolean.getBoolean("hpcb.e2e.keep")) {
            Kubectl.fromStack().run("delete", "namespace", name, "--wait=false");
        }
    }
}
