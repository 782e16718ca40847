-- Argo CD health check for hpcbridge.io/v1alpha1 Campaign (docs/operations.md, "Argo CD health checks").
-- Its start (hs, condition, describe, join, the status and generation checks) is _common.lua;
-- hack/update-argocd.sh joins the two into the argocd-cm value.

-- The task counts: the Completed condition's message, else status.tasks.
local function summary(status)
  local completed = condition(status, "Completed")
  if completed ~= nil and completed.message ~= nil and completed.message ~= "" then
    return completed.message
  end
  local t = status.tasks
  if t == nil then
    return ""
  end
  return tostring(t.succeeded or 0) .. "/" .. tostring(t.total or 0) .. " tasks succeeded, "
    .. tostring(t.running or 0) .. " running, " .. tostring(t.failed or 0) .. " failed, "
    .. tostring(t.skipped or 0) .. " skipped, " .. tostring(t.cancelled or 0) .. " cancelled"
end

-- Why ready tasks wait, the three largest reasons: "waiting: ParallelismLimit 350, WaitingForDependencies 12".
local function waiting(status)
  if status.blockedBy == nil then
    return ""
  end
  local parts = {}
  for i, b in ipairs(status.blockedBy) do
    if i > 3 then
      table.insert(parts, "...")
      break
    end
    table.insert(parts, tostring(b.reason) .. " " .. tostring(b.tasks))
  end
  if #parts == 0 then
    return ""
  end
  return "waiting: " .. table.concat(parts, ", ")
end

-- A refused spec: nothing is created or submitted until it is fixed (its phase stays Pending).
local accepted = condition(status, "Accepted")
if accepted ~= nil and accepted.status == "False" then
  hs.status = "Degraded"
  hs.message = describe("not accepted", accepted.reason, accepted.message)
  return hs
end

local phase = status.phase
if phase == nil then
  return noPhaseYet()
end

if phase == "Succeeded" then
  local succeeded = condition(status, "Succeeded")
  hs.status = "Healthy"
  hs.message = describe(phase, nil, succeeded ~= nil and succeeded.message or summary(status))
  return hs
end

if phase == "Failed" then
  local failed = condition(status, "Failed")
  hs.status = "Degraded"
  hs.message = describe(phase, nil, failed ~= nil and failed.message or summary(status))
  return hs
end

-- spec.suspend and spec.stop are the user's own fields in git: the campaign is where it was asked to be,
-- and it moves again only when someone changes the spec (or, after a stop, annotates retry-failed).
if phase == "Suspended" then
  local suspended = condition(status, "Suspended")
  local why = "spec.suspend is true"
  if suspended ~= nil and suspended.message ~= nil and suspended.message ~= "" then
    why = suspended.message
  end
  hs.status = "Suspended"
  hs.message = describe(phase, nil, join(why, summary(status)))
  return hs
end

if phase == "Stopped" then
  local completed = condition(status, "Completed")
  hs.status = "Suspended"
  if completed ~= nil and completed.reason == "Stopped" and completed.message ~= nil and completed.message ~= "" then
    hs.message = completed.message
  else
    hs.message = describe(phase, nil, join("spec.stop is true and every cancel is confirmed", summary(status)))
  end
  return hs
end

if phase == "Pending" or phase == "Running" or phase == "Stopping" then
  -- While its HpcCluster does not answer, nothing is submitted and no job's end is concluded.
  local reachable = condition(status, "ClusterReachable")
  if reachable ~= nil and reachable.status == "False" then
    hs.status = "Degraded"
    hs.message = describe(phase .. ", cluster unreachable", reachable.reason, reachable.message)
      .. "; nothing is submitted and no job's end is concluded until it answers"
    return hs
  end
  hs.status = "Progressing"
  hs.message = describe(phase, nil, join(summary(status), waiting(status)))
  return hs
end

hs.status = "Unknown"
hs.message = "unknown phase " .. tostring(phase)
return hs
