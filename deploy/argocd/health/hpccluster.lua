-- Argo CD health check for hpcbridge.io/v1alpha1 HpcCluster (docs/operations.md, "Argo CD health checks").
-- Argo CD runs it with only the base and table libraries: no string, math, os or io.
local hs = {}

local function condition(status, type)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

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
