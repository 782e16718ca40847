-- Argo CD health check for hpcbridge.io/v1alpha1 ProcessingBlock (docs/operations.md, "Argo CD health checks").
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
if phase == nil then
  hs.status = "Progressing"
  hs.message = "waiting for the operator to report a phase"
  return hs
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
