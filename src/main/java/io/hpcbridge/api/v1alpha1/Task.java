package io.hpcbridge.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One task of a campaign, created and owned by the Campaign; runs as one or more TaskAttempts. */
@Group(Constants.GROUP)
@Version(Constants.VERSION)
@ShortNames("htask")
@Categories(Constants.CATEGORY)
@AdditionalPrinterColumn(name = "Campaign", jsonPath = ".spec.campaign", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Attempts", jsonPath = ".status.attempts", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Current", jsonPath = ".status.currentAttempt", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Task extends CustomResource<TaskSpec, TaskStatus> implements Namespaced {
    @Override
    protected TaskSpec initSpec() {
        return new TaskSpec();
    }

    @Override
    protected TaskStatus initStatus() {
        return new TaskStatus();
    }
}
