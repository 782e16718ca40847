package io.hpcbridge.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One execution of a Task: exactly one remote job. Named {@code <task>-<index>}, owned by its Task. */
@Group(Constants.GROUP)
@Version(Constants.VERSION)
@ShortNames("hatt")
@Categories(Constants.CATEGORY)
@AdditionalPrinterColumn(name = "Task", jsonPath = ".spec.task", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Job", jsonPath = ".status.jobId", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Exit", jsonPath = ".status.exitCode", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class TaskAttempt extends CustomResource<TaskAttemptSpec, TaskAttemptStatus> implements Namespaced {
    @Override
    protected TaskAttemptSpec initSpec() {
        return new TaskAttemptSpec();
    }

    @Override
    protected TaskAttemptStatus initStatus() {
        return new TaskAttemptStatus();
    }
}
