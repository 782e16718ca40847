package io.hpcbridge.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.client.utils.Serialization;

/** What the polling-at-scale tests of each scheduler share: the clusters that poll, and the login node's command log. */
final class PollingWindow {
    private PollingWindow() {
    }

    record Cluster(String name, double pollSeconds) {
        @Override
        public String toString() {
            return name + "@" + pollSeconds + "s";
        }
    }

    /**
     * Every HpcCluster of this scheduler on the API server that the operator polls now (they all reach the same login
     * node here): not
     * paused, not being deleted, Ready, and polled within the last 90 s (lastPollTime is refreshed at least every 60 s).
     * Leftovers of earlier runs that no longer poll must not count.
     */
    static List<Cluster> pollingClusters(String scheduler) {
        String json = Kubectl.fromStack().get("hpcclusters", "-A", "-o", "json").orFail().stdout();
        List<Cluster> out = new ArrayList<>();
        try {
            for (JsonNode item : Serialization.jsonMapper().readTree(json).get("items")) {
                JsonNode spec = item.get("spec");
                if (!scheduler.equals(spec.path("scheduler").asText()) || spec.path("paused").asBoolean(false)
                        || item.at("/metadata/deletionTimestamp").isTextual()
                        || !"Ready".equals(item.at("/status/phase").asText())) {
                    continue;
                }
                String lastPoll = item.at("/status/lastPollTime").asText("");
                if (lastPoll.isEmpty() || java.time.Instant.parse(lastPoll).isBefore(java.time.Instant.now().minusSeconds(90))) {
                    continue;
                }
                out.add(new Cluster(item.at("/metadata/namespace").asText() + "/" + item.at("/metadata/name").asText(),
                        seconds(spec.path("pollInterval").asText("30s"))));
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(json, e);
        }
        return out;
    }

    static double seconds(String duration) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]+)(ms|s|m|h)").matcher(duration);
        double total = 0;
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total += switch (m.group(2)) {
                case "ms" -> n / 1000.0;
                case "s" -> n;
                case "m" -> n * 60.0;
                default -> n * 3600.0;
            };
        }
        return total;
    }

    static List<Long> gaps(List<Command> commands) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < commands.size(); i++) {
            gaps.add(commands.get(i).epochMs - commands.get(i - 1).epochMs);
        }
        return gaps;
    }

    /** One line of the counting shim's log: {@code <epoch-ms> <verb> <args...>}. */
    record Command(long epochMs, String verb, List<String> args, String line) {
        static Command parse(String line) {
            String[] f = line.strip().split(" ");
            if (f.length < 2 || !f[0].matches("[0-9]+")) {
                return null;
            }
            return new Command(Long.parseLong(f[0]), f[1], Arrays.asList(f).subList(2, f.length), line);
        }

        List<String> jobIds() {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.startsWith("--jobs=")) {
                    ids.addAll(Arrays.asList(a.substring("--jobs=".length()).split(",")));
                } else if ((a.equals("-j") || a.equals("--jobs")) && i + 1 < args.size()) {
                    ids.addAll(Arrays.asList(args.get(i + 1).split(",")));
                }
            }
            return new ArrayList<>(new HashSet<>(ids));
        }
    }

}
