-- Argo CD health check for hpcbridge.io/v1alpha1 TaskAttempt (docs/operations.md, "Argo CD health checks").
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

-- Written by the operator when the campaign is stopped; the value says why.
local cancelRequested = nil
if obj.metadata.annotations ~= nil then
  cancelRequested = obj.metadata.annotations["hpcbridge.io/cancel-requested"]
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
elseif phase == "Pending" or phase == "Submitting" or phase == "Queued" or phase == "Running" or phase == "Settling" then
  hs.status = "Progressing"
  if cancelRequested ~= nil then
    hs.message = hs.message .. "; cancel requested: " .. tostring(cancelRequested)
  end
else
  hs.status = "Unknown"
  hs.message = "unknown phase " .. tostring(phase)
end
return hs
