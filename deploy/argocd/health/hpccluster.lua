-- Argo CD health check for hpcbridge.io/v1alpha1 HpcCluster (docs/operations.md, "Argo CD health checks").
-- Its start (hs, condition, describe, join, the status and generation checks) is _common.lua;
-- hack/update-argocd.sh joins the two into the argocd-cm value.

local phase = status.phase
local reachable = condition(status, "Reachable")
local ready = condition(status, "Ready")

-- spec.paused: no submissions and no polls until the user unpauses it.
if phase == "Paused" then
  hs.status = "Suspended"
  hs.message = describe(phase, nil, ready ~= nil and ready.message or "spec.paused is true")
  return hs
end

if reachable ~= nil and reachable.status == "False" then
  hs.status = "Degraded"
  hs.message = describe(phase or "Unreachable", reachable.reason, reachable.message)
  return hs
end

if phase == "Ready" and (ready == nil or ready.status == "True") then
  hs.status = "Healthy"
  local message = ready ~= nil and ready.message or nil
  if status.activeJobs ~= nil then
    if message == nil or message == "" then
      message = tostring(status.activeJobs) .. " active jobs"
    else
      message = message .. "; " .. tostring(status.activeJobs) .. " active jobs"
    end
  end
  hs.message = describe(phase, nil, message)
  return hs
end

if phase == "Unreachable" then
  hs.status = "Degraded"
  hs.message = describe(phase, nil, ready ~= nil and ready.message or nil)
  return hs
end

if phase == nil or phase == "Pending" or phase == "Ready" then
  -- Pending: no poll has succeeded yet; the Reachable condition (reason Connecting) says what was tried.
  hs.status = "Progressing"
  if reachable ~= nil then
    hs.message = describe(phase or "Pending", reachable.reason, reachable.message)
  else
    hs.message = describe(phase or "Pending", nil, "waiting for the first poll")
  end
  return hs
end

hs.status = "Unknown"
hs.message = "unknown phase " .. tostring(phase)
return hs
