package io.hpcbridge.crd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Writes docs/api-reference.md from the committed CRDs in deploy/crds (which CrdsAreCurrentTest keeps equal to the
 * Java model). Per kind: group, version, names, printer columns, and one row per spec and status field with its type,
 * whether it is required, its default and its schema constraints.
 *
 * <p>Usage: {@code ApiReferenceGenerator [crdDir [outputFile]]}, defaults deploy/crds and docs/api-reference.md.
 * Run through hack/update-docs.sh; ApiReferenceIsCurrentTest fails when the committed file differs.
 */
public final class ApiReferenceGenerator {
    static final String HEADER = "<!-- Generated from deploy/crds by hack/update-docs.sh (ApiReferenceGenerator); do not edit. -->\n";
    /** The order kinds are documented in: the site first, then top-down along the data flow. */
    static final List<String> KIND_ORDER = List.of("HpcCluster", "Campaign", "Task", "TaskAttempt", "ProcessingBlock");
    private static final String SUFFIX = ".hpcbridge.io.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ApiReferenceGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path in = Path.of(args.length > 0 ? args[0] : "deploy/crds");
        Path out = Path.of(args.length > 1 ? args[1] : "docs/api-reference.md");
        String text = render(in);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, text, StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }

    /** The whole reference for every CRD file in {@code crdDir}. */
    public static String render(Path crdDir) throws IOException {
        List<JsonNode> crds = new ArrayList<>();
        try (Stream<Path> files = Files.list(crdDir)) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                if (p.getFileName().toString().endsWith(SUFFIX)) {
                    crds.add(YAML.readTree(p.toFile()));
                }
            }
        }
        if (crds.isEmpty()) {
            throw new IOException("no *" + SUFFIX + " files in " + crdDir);
        }
        crds.sort(Comparator.comparingInt((JsonNode c) -> kindRank(kind(c))).thenComparing(ApiReferenceGenerator::kind));

        StringBuilder b = new StringBuilder(HEADER);
        b.append("# API reference (hpcbridge.io/v1alpha1)\n\n");
        b.append("Generated from the CRDs in `deploy/crds/`, which are generated from the Java model in\n");
        b.append("`src/main/java/io/hpcbridge/api/v1alpha1/`. Regenerate with `hack/update-crds.sh` then `hack/update-docs.sh`.\n\n");
        b.append("Constraints listed here are enforced by the API server when an object is written. Rules the schema\n");
        b.append("cannot express (dependency cycles, unknown dependencies, duplicate names) are checked by the operator\n");
        b.append("and reported in the Campaign's `Accepted` condition; see [the user guide](user-guide.md).\n\n");
        for (JsonNode crd : crds) {
            String kind = kind(crd);
            b.append("- [").append(kind).append("](#").append(kind.toLowerCase()).append(")\n");
        }
        b.append('\n');
        for (JsonNode crd : crds) {
            renderKind(b, crd);
        }
        return b.toString();
    }

    private static void renderKind(StringBuilder b, JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        String kind = kind(crd);
        b.append("## ").append(kind).append("\n\n");
        for (JsonNode version : spec.path("versions")) {
            b.append("| | |\n|---|---|\n");
            b.append("| apiVersion | `").append(spec.path("group").asText()).append('/').append(version.path("name").asText()).append("` |\n");
            b.append("| kind | `").append(kind).append("` |\n");
            b.append("| scope | ").append(spec.path("scope").asText()).append(" |\n");
            b.append("| plural | `").append(names.path("plural").asText()).append("` |\n");
            b.append("| short names | ").append(codeList(names.path("shortNames"))).append(" |\n");
            b.append("| categories | ").append(codeList(names.path("categories"))).append(" |\n");
            b.append("| status subresource | ").append(version.path("subresources").has("status") ? "yes" : "no").append(" |\n\n");

            JsonNode columns = version.path("additionalPrinterColumns");
            if (columns.size() > 0) {
                b.append("### `kubectl get` columns\n\n");
                b.append("Columns with priority 1 appear only with `-o wide`.\n\n");
                b.append("| Column | JSONPath | Type | Priority |\n|---|---|---|---|\n");
                for (JsonNode c : columns) {
                    b.append("| ").append(cell(c.path("name").asText())).append(" | ").append(code(c.path("jsonPath").asText()))
                            .append(" | ").append(c.path("type").asText()).append(" | ").append(c.path("priority").asInt(0)).append(" |\n");
                }
                b.append('\n');
            }

            JsonNode root = version.path("schema").path("openAPIV3Schema");
            for (String part : List.of("spec", "status")) {
                JsonNode schema = root.path("properties").path(part);
                if (schema.isMissingNode()) {
                    continue;
                }
                b.append("### ").append(part).append("\n\n");
                if (schema.hasNonNull("description")) {
                    b.append(cell(schema.path("description").asText())).append("\n\n");
                }
                b.append("| Field | Type | Required | Default | Constraints | Description |\n|---|---|---|---|---|---|\n");
                List<String[]> rows = new ArrayList<>();
                fields(part, schema, rows);
                for (String[] row : rows) {
                    b.append('|');
                    for (String cell : row) {
                        b.append(' ').append(cell).append(" |");
                    }
                    b.append('\n');
                }
                b.append('\n');
            }
        }
    }

    /** One row per property below {@code schema}, depth first, properties in the schema's (alphabetical) order. */
    private static void fields(String path, JsonNode schema, List<String[]> rows) {
        JsonNode properties = schema.path("properties");
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String fieldPath = path + "." + e.getKey();
            JsonNode field = e.getValue();
            rows.add(new String[] {
                    code(fieldPath),
                    type(field),
                    required.contains(e.getKey()) ? "yes" : "",
                    field.has("default") ? code(field.get("default").asText()) : "",
                    constraints(field),
                    cell(field.path("description").asText(""))});
            if ("object".equals(field.path("type").asText()) && field.has("properties")) {
                fields(fieldPath, field, rows);
            } else if ("array".equals(field.path("type").asText()) && field.path("items").has("properties")) {
                fields(fieldPath + "[]", field.path("items"), rows);
            }
        }
    }

    private static String type(JsonNode field) {
        String type = field.path("type").asText("object");
        if ("array".equals(type)) {
            return "[]" + field.path("items").path("type").asText("object");
        }
        return type;
    }

    private static String constraints(JsonNode field) {
        List<String> out = new ArrayList<>();
        JsonNode target = field;
        if (field.has("enum")) {
            List<String> values = new ArrayList<>();
            field.path("enum").forEach(v -> values.add(code(v.asText())));
            out.add("one of " + String.join(", ", values));
        }
        if (target.has("pattern")) {
            out.add("pattern " + code(target.path("pattern").asText()));
        }
        bound(out, "min", target.path("minimum"));
        bound(out, "max", target.path("maximum"));
        bound(out, "min length", target.path("minLength"));
        bound(out, "max length", target.path("maxLength"));
        bound(out, "min items", target.path("minItems"));
        bound(out, "max items", target.path("maxItems"));
        JsonNode items = field.path("items");
        if (items.has("pattern")) {
            out.add("items: pattern " + code(items.path("pattern").asText()));
        }
        if (items.has("enum")) {
            List<String> values = new ArrayList<>();
            items.path("enum").forEach(v -> values.add(code(v.asText())));
            out.add("items: one of " + String.join(", ", values));
        }
        return String.join("; ", out);
    }

    private static void bound(List<String> out, String label, JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return;
        }
        double d = value.asDouble();
        out.add(label + " " + (d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d)));
    }

    private static String kind(JsonNode crd) {
        return crd.path("spec").path("names").path("kind").asText();
    }

    private static int kindRank(String kind) {
        int i = KIND_ORDER.indexOf(kind);
        return i < 0 ? KIND_ORDER.size() : i;
    }

    private static String codeList(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(code(n.asText())));
        return out.isEmpty() ? "none" : String.join(", ", out);
    }

    /** Inline code safe inside a Markdown table cell: backticks cannot occur in our schema, pipes are escaped. */
    private static String code(String text) {
        return "`" + text.replace("|", "\\|") + "`";
    }

    /** Plain text safe inside a Markdown table cell. */
    private static String cell(String text) {
        return text.replace("\r", "").replace("\n", " ").replace("|", "\\|").strip();
    }
}
