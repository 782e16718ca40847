package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A custom attribute of an HTCondor job ad, written into the submit description as {@code MY.<name> = <value>}. */
// Empty lists and unset fields are left out: a fresh spec must serialize to nothing, because the framework
// server-side-applies fresh objects (e.g. to add finalizers) and anything they carry would be forced onto the live object.
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ClassAdAttribute {
    @Required
    @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
    @Size(max = 64)
    @JsonPropertyDescription("Attribute name: letters, digits and underscores, not starting with a digit; not starting with HpcBridge (any case), which is reserved for the operator's identity attributes.")
    private String name;

    @Required
    @Pattern(Constants.CLASSAD_EXPRESSION_PATTERN)
    @Size(max = 4096)
    @JsonPropertyDescription("A ClassAd expression on one line, e.g. \"analysis\" (a string, quoted) or 42. HTCondor: MY.<name> = <value> in the submit description.")
    private String value;

    public ClassAdAttribute() {
    }

    public ClassAdAttribute(String name, String value) {
        this.name = name;
        this.value = value;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getValue() { return value; }
    public void setValue(String value) { this.value = value; }
}
