-- Argo CD health check for hpcbridge.io/v1alpha1 Task (docs/operations.md, "Argo CD health checks").
-- Argo CD runs it with only the base and table libraries: no string, math, os or io.
local hs = {}

local function describe(phase, reason, message)
  local text = tostring(phase)
  if reason ~= nil and reason ~= "" and reason ~= phase then
    text = text .. " (" .. tostring(reason) .. ")"
  end
  if message ~= nil and message ~= "" then
    text = text .. ": " .. tostring(message)
  end
  return text
end

local status = obj.status
if status == nil then
  hs.status = "Progressing"
  hs.message = "waiting for the operator to report status"
  return hs
end

local generation = tonumber(obj.metadata.generation)
local observed = tonumber(status.observedGeneration)
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "waiting for the operator to observe generation " .. tostring(generation)
  if observed ~= nil then
    hs.message = hs.message .. " (status describes generation " .. tostring(observed) .. ")"
  end
  return hs
end

local phase = status.phase
if phase == nil then
  hs.status = "Progressing"
  hs.message = "waiting for the operator to report a phase"
  return hs
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
