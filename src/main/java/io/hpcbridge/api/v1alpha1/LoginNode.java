package io.hpcbridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

// Empty lists and unset fields are left out: a fresh spec must serialize to nothing, because the framework
// server-side-applies fresh objects (e.g. to add finalizers) and anything they carry would be forced onto the live object.
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class LoginNode {
    @Required
    @JsonPropertyDescription("Host name or address of the login node's SSH server.")
    private String host;

    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("SSH port; 22 when omitted.")
    private Integer port;

    public LoginNode() {
    }

    public LoginNode(String host, Integer port) {
        this.host = host;
        this.port = port;
    }

    public String getHost() { return host; }
    public void setHost(String host) { this.host = host; }
    public Integer getPort() { return port; }
    public void setPort(Integer port) { this.port = port; }

    /** The port to connect to, applying the SSH default. */
    @JsonIgnore
    public int effectivePort() {
        return port == null ? 22 : port;
    }

    @Override
    public String toString() {
        return host + ":" + effectivePort();
    }
}
