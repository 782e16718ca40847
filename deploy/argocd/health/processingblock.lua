-- Argo CD health check for hpcbridge.io/v1alpha1 ProcessingBlock (docs/operations.md, "Argo CD health checks").
-- Its start (hs, condition, describe, join, the status and generation checks) is _common.lua;
-- hack/update-argocd.sh joins the two into the argocd-cm value.

local phase = status.phase
if phase == nil then
  return noPhaseYet()
end

-- The Completed condition carries the block's reason and message in every phase.
local completed = condition(status, "Completed")
if completed ~= nil then
  hs.message = describe(phase, completed.reason, completed.message)
else
  hs.message = describe(phase, nil, tostring(status.completedTasks or 0) .. " of " .. tostring(status.totalTasks or 0)
    .. " tasks succeeded")
end

if phase == "Complete" or phase == "Archived" then
  hs.status = "Healthy"
elseif phase == "Failed" or phase == "Invalidated" then
  hs.status = "Degraded"
elseif phase == "Open" then
  hs.status = "Progressing"
else
  hs.status = "Unknown"
  hs.message = "unknown phase " .. tostring(phase)
end
return hs
