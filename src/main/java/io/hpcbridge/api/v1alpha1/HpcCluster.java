package io.hpcbridge.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A site: its login nodes, scheduler and credentials. */
@Group(Constants.GROUP)
@Version(Constants.VERSION)
@ShortNames("hpcc")
@Categories(Constants.CATEGORY)
@AdditionalPrinterColumn(name = "Scheduler", jsonPath = ".spec.scheduler", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Login", jsonPath = ".status.activeLoginNode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Jobs", jsonPath = ".status.activeJobs", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Last-Poll", jsonPath = ".status.lastPollTime", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class HpcCluster extends CustomResource<HpcClusterSpec, HpcClusterStatus> implements Namespaced {
    @Override
    protected HpcClusterSpec initSpec() {
        return new HpcClusterSpec();
    }

    @Override
    protected HpcClusterStatus initStatus() {
        return new HpcClusterStatus();
    }
}
