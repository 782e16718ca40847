-- Argo CD health check for hpcbridge.io/v1alpha1 TaskAttempt (docs/operations.md, "Argo CD health checks").
-- Its start (hs, condition, describe, join, the status and generation checks) is _common.lua;
-- hack/update-argocd.sh joins the two into the argocd-cm value.

-- Written by the operator when the campaign is stopped; the value says why.
local cancelRequested = nil
if obj.metadata.annotations ~= nil then
  cancelRequested = obj.metadata.annotations["hpcbridge.io/cancel-requested"]
end

local phase = status.phase
if phase == nil then
  return noPhaseYet()
end
hs.message = describe(phase, status.reason, status.message)

if phase == "Succeeded" then
  hs.status = "Healthy"
elseif phase == "Failed" or phase == "Lost" then
  hs.status = "Degraded"
elseif phase == "Cancelled" then
  -- Cancelled by hpc-bridge because the user stopped the campaign: ended as asked.
  -- Otherwise someone cancelled the job on the cluster.
  if cancelRequested ~= nil then
    hs.status = "Suspended"
  else
    hs.status = "Degraded"
  end
elseif phase == "Pending" or phase == "Submitting" or phase == "Queued" or phase == "Held" or phase == "Running" or phase == "Settling" then
  hs.status = "Progressing"
  if cancelRequested ~= nil then
    hs.message = hs.message .. "; cancel requested: " .. tostring(cancelRequested)
  end
else
  hs.status = "Unknown"
  hs.message = "unknown phase " .. tostring(phase)
end
return hs
