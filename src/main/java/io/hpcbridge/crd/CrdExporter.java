package io.hpcbridge.crd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.hpcbridge.api.v1alpha1.Constants;

/**
 * Turns the CRDs that fabric8's crd-generator writes into target/crds into the committed deploy/crds files.
 * The only change to the content is the order of additionalPrinterColumns: the generator sorts them by
 * jsonPath, we want the order of the {@link AdditionalPrinterColumn} annotations on the kind class, because
 * that is the column order kubectl shows.
 *
 * <p>Usage: {@code CrdExporter [generatedDir [outputDir]]}, defaults target/crds and deploy/crds.
 */
public final class CrdExporter {
    public static final String HEADER = "# Generated from the Java model by hack/update-crds.sh; do not edit.\n";
    static final String MODEL_PACKAGE = "io.hpcbridge.api.v1alpha1";
    static final String SUFFIX = "." + Constants.GROUP + ".yaml";

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // One line per value keeps diffs of deploy/crds readable.
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build());

    private CrdExporter() {
    }

    public static void main(String[] args) throws IOException {
        Path in = Path.of(args.length > 0 ? args[0] : "target/crds");
        Path out = Path.of(args.length > 1 ? args[1] : "deploy/crds");
        Map<String, String> files = render(in);
        Files.createDirectories(out);
        // Drop files of kinds that no longer exist, so deploy/crds mirrors the model exactly.
        try (Stream<Path> old = Files.list(out)) {
            for (Path p : (Iterable<Path>) old::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(SUFFIX) && !files.containsKey(name)) {
                    Files.delete(p);
                }
            }
        }
        for (Map.Entry<String, String> e : files.entrySet()) {
            Files.writeString(out.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
            System.out.println("wrote " + out.resolve(e.getKey()));
        }
    }

    /** Output file name to content for every CRD of our group in the generator's output directory, sorted by name. */
    public static Map<String, String> render(Path generatedDir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> in = Files.list(generatedDir)) {
            for (Path p : (Iterable<Path>) in.sorted()::iterator) {
                if (!p.getFileName().toString().endsWith(".yml")) {
                    continue;
                }
                ObjectNode crd = (ObjectNode) YAML.readTree(p.toFile());
                String name = crd.path("metadata").path("name").asText();
                if (!name.endsWith("." + Constants.GROUP)) {
                    continue;
                }
                files.put(name + ".yaml", render(crd));
            }
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no CRDs of group " + Constants.GROUP + " in " + generatedDir
                    + ": run mvn process-classes first");
        }
        return files;
    }

    /** The committed form of one generated CRD. */
    static String render(ObjectNode crd) {
        String kind = crd.path("spec").path("names").path("kind").asText();
        List<String> order = annotationOrder(kind);
        for (JsonNode version : crd.path("spec").path("versions")) {
            JsonNode columns = version.get("additionalPrinterColumns");
            if (columns instanceof ArrayNode array) {
                ((ObjectNode) version).set("additionalPrinterColumns", reorder(array, order));
            }
        }
        try {
            return HEADER + YAML.writeValueAsString(crd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** jsonPaths of the kind's printer columns in annotation (source) order. */
    static List<String> annotationOrder(String kind) {
        Class<?> type;
        try {
            type = Class.forName(MODEL_PACKAGE + "." + kind);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("CRD kind " + kind + " has no class in " + MODEL_PACKAGE, e);
        }
        List<String> order = new ArrayList<>();
        // javac stores repeated annotations in the container in source order, and reflection keeps it.
        for (AdditionalPrinterColumn c : type.getAnnotationsByType(AdditionalPrinterColumn.class)) {
            order.add(c.jsonPath());
        }
        return order;
    }

    /** Columns in annotation order; any column without an annotation (e.g. from @PrinterColumn) keeps its place after them. */
    static ArrayNode reorder(ArrayNode columns, List<String> order) {
        ArrayNode sorted = columns.arrayNode();
        List<JsonNode> rest = new ArrayList<>();
        columns.forEach(rest::add);
        for (String path : order) {
            for (int i = 0; i < rest.size(); i++) {
                if (path.equals(rest.get(i).path("jsonPath").asText())) {
                    sorted.add(rest.remove(i));
                    break;
                }
            }
        }
        rest.forEach(sorted::add);
        return sorted;
    }
}
