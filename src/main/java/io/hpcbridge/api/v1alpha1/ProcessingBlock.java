package io.hpcbridge.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Tasks whose outputs are registered and archived together; created from the Campaign's spec.processingBlocks. */
@Group(Constants.GROUP)
@Version(Constants.VERSION)
@ShortNames("pblock")
@Categories(Constants.CATEGORY)
@AdditionalPrinterColumn(name = "Campaign", jsonPath = ".spec.campaign", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Completed", jsonPath = ".status.completedTasks", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Total", jsonPath = ".status.totalTasks", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ProcessingBlock extends CustomResource<ProcessingBlockSpec, ProcessingBlockStatus> implements Namespaced {
    @Override
    protected ProcessingBlockSpec initSpec() {
        return new ProcessingBlockSpec();
    }

    @Override
    protected ProcessingBlockStatus initStatus() {
        return new ProcessingBlockStatus();
    }
}
