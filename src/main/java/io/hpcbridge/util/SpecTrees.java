package io.hpcbridge.util;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Merge and copy of API objects through their JSON form, so that a field added to the API is merged and copied
 * without anyone remembering to add it here. What counts as set is what the object's JSON carries: with the API's
 * {@code @JsonInclude(NON_EMPTY)}, null fields and empty lists are unset. Pure: inputs are never modified.
 */
public final class SpecTrees {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SpecTrees() {
    }

    /**
     * {@code own} with {@code fallback} filling what it leaves unset, as a fresh object (null when both are null).
     * Objects are merged field by field, recursively; everything else is a leaf, and what {@code own} sets wins. Lists
     * are leaves: a list that {@code own} sets replaces the fallback's whole, it is not appended to or merged by index.
     */
    @SuppressWarnings("unchecked")
    public static <T> T merge(T own, T fallback) {
        if (own == null && fallback == null) {
            return null;
        }
        if (own == null || fallback == null) {
            return copy(own == null ? fallback : own);
        }
        if (own.getClass() != fallback.getClass()) {
            throw new IllegalArgumentException("cannot merge a " + fallback.getClass().getName() + " into a " + own.getClass().getName());
        }
        JsonNode merged = merge(MAPPER.valueToTree(own), MAPPER.valueToTree(fallback));
        return (T) fromTree(merged, own.getClass());
    }

    /** A deep copy through JSON; null stays null. */
    @SuppressWarnings("unchecked")
    public static <T> T copy(T value) {
        if (value == null) {
            return null;
        }
        return (T) fromTree(MAPPER.valueToTree(value), value.getClass());
    }

    /** The merge of two JSON trees; neither is modified. */
    static JsonNode merge(JsonNode own, JsonNode fallback) {
        if (own == null || own.isNull() || own.isMissingNode()) {
            return fallback == null ? own : fallback.deepCopy();
        }
        if (!(own instanceof ObjectNode o) || !(fallback instanceof ObjectNode f)) {
            return own.deepCopy();
        }
        ObjectNode out = o.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            out.set(e.getKey(), merge(o.get(e.getKey()), e.getValue()));
        }
        return out;
    }

    private static <T> T fromTree(JsonNode tree, Class<T> type) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            // The tree came from an object of the same type: it always reads back.
            throw new IllegalStateException("cannot read back a " + type.getName() + " from " + tree, e);
        }
    }
}
