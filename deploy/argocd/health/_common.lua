-- The start of every hpcbridge.io Argo CD health check: hack/update-argocd.sh puts this file before each
-- kind's own part (<kind>.lua) in one argocd-cm value, because Argo CD runs each value on its own, with no
-- shared module. Argo CD runs it with only the base and table libraries: no string, math, os or io.
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

-- "a; b", leaving out empty parts.
local function join(a, b)
  if a == nil or a == "" then
    return b or ""
  end
  if b == nil or b == "" then
    return a
  end
  return a .. "; " .. b
end

-- A status the operator has written no phase into yet: return noPhaseYet() from the check.
local function noPhaseYet()
  hs.status = "Progressing"
  hs.message = "waiting for the operator to report a phase"
  return hs
end

-- Until the operator has reported on the current generation, the object is on its way.
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
