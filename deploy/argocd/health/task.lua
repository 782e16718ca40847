-- Argo CD health check for hpcbridge.io/v1alpha1 Task (docs/operations.md, "Argo CD health checks").
-- Its start (hs, condition, describe, join, the status and generation checks) is _common.lua;
-- hack/update-argocd.sh joins the two into the argocd-cm value.

local phase = status.phase
if phase == nil then
  return noPhaseYet()
end
hs.message = describe(phase, status.reason, status.message)

if phase == "Succeeded" then
  hs.status = "Healthy"
elseif phase == "Failed" then
  hs.status = "Degraded"
elseif phase == "Skipped" then
  -- It never ran because a dependency did not succeed: its work is missing, as the Failed condition says.
  hs.status = "Degraded"
elseif phase == "Cancelled" then
  -- spec.stop is set by the operator when the user stopped the campaign: the task ended as asked.
  -- Without it, someone cancelled the job on the cluster.
  if obj.spec ~= nil and obj.spec.stop == true then
    hs.status = "Suspended"
  else
    hs.status = "Degraded"
  end
elseif phase == "Pending" or phase == "Retrying" then
  -- Held by the user's spec.suspend or the cluster's spec.paused: it starts when that is undone.
  if status.reason == "Suspended" or status.reason == "ClusterPaused" then
    hs.status = "Suspended"
  else
    hs.status = "Progressing"
  end
elseif phase == "Running" then
  hs.status = "Progressing"
else
  hs.status = "Unknown"
  hs.message = "unknown phase " .. tostring(phase)
end
return hs
