-- Runs an Argo CD health check (as assembled in deploy/argocd/argocd-cm-patch.yaml) on one object, the way Argo CD does:
-- the object is the global `obj`, the script's return value is the health.
--
--   lua5.1 harness.lua CHECK.lua [OBJECT.json]        (the object is read from stdin without OBJECT.json)
--   kubectl get campaign hello -o json | lua5.1 harness.lua <(cat _common.lua; echo; cat campaign.lua)   (in deploy/argocd/health)
--
-- Prints the status on the first line and the message after it. Exit codes: 0 done, 1 usage, 2 unreadable
-- object, 3 the check failed or returned something Argo CD would reject.
--
-- The check runs with less than Argo CD gives it, never more: Argo CD (gopher-lua without its open libraries)
-- has the base, table and a safe os library, and no string, math or io library, so string methods ("x"):sub()
-- fail there too. A check that passes here therefore runs in Argo CD.

local function die(code, message)
  io.stderr:write("harness: ", message, "\n")
  os.exit(code)
end

-- ------------------------------------------------------------------ JSON
-- Objects, arrays, strings (all escapes, \u with surrogate pairs, as UTF-8), numbers, true, false, null.
-- null becomes nil, as Argo CD's decoder makes it: a key whose value is null is absent.
local function decode(text)
  local pos = 1
  local value

  local function fail(what)
    error("JSON: " .. what .. " at byte " .. pos, 0)
  end

  local function skip()
    pos = text:find("[^ \t\r\n]", pos) or (#text + 1)
  end

  local function utf8(c)
    if c < 0x80 then
      return string.char(c)
    elseif c < 0x800 then
      return string.char(0xC0 + math.floor(c / 0x40), 0x80 + c % 0x40)
    elseif c < 0x10000 then
      return string.char(0xE0 + math.floor(c / 0x1000), 0x80 + math.floor(c / 0x40) % 0x40, 0x80 + c % 0x40)
    end
    return string.char(0xF0 + math.floor(c / 0x40000), 0x80 + math.floor(c / 0x1000) % 0x40,
      0x80 + math.floor(c / 0x40) % 0x40, 0x80 + c % 0x40)
  end

  local escapes = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }

  local function str()
    pos = pos + 1 -- the opening quote
    local parts = {}
    while true do
      local s = text:find('["\\]', pos)
      if s == nil then
        fail("unterminated string")
      end
      table.insert(parts, text:sub(pos, s - 1))
      if text:sub(s, s) == '"' then
        pos = s + 1
        return table.concat(parts)
      end
      local e = text:sub(s + 1, s + 1)
      if e == "u" then
        local hex = text:match("^%x%x%x%x", s + 2)
        if hex == nil then
          pos = s
          fail("bad \\u escape")
        end
        local code = tonumber(hex, 16)
        pos = s + 6
        if code >= 0xD800 and code <= 0xDBFF then
          local low = text:match("^\\u([dD][c-fC-F]%x%x)", pos)
          if low == nil then
            fail("unpaired surrogate")
          end
          code = 0x10000 + (code - 0xD800) * 0x400 + (tonumber(low, 16) - 0xDC00)
          pos = pos + 6
        end
        table.insert(parts, utf8(code))
      elseif escapes[e] ~= nil then
        table.insert(parts, escapes[e])
        pos = s + 2
      else
        pos = s
        fail("bad escape \\" .. e)
      end
    end
  end

  function value()
    skip()
    local c = text:sub(pos, pos)
    if c == "{" then
      local object = {}
      pos = pos + 1
      skip()
      if text:sub(pos, pos) == "}" then
        pos = pos + 1
        return object
      end
      while true do
        skip()
        if text:sub(pos, pos) ~= '"' then
          fail("expected a key")
        end
        local key = str()
        skip()
        if text:sub(pos, pos) ~= ":" then
          fail("expected ':'")
        end
        pos = pos + 1
        object[key] = value()
        skip()
        local sep = text:sub(pos, pos)
        pos = pos + 1
        if sep == "}" then
          return object
        elseif sep ~= "," then
          pos = pos - 1
          fail("expected ',' or '}'")
        end
      end
    elseif c == "[" then
      local array = {}
      pos = pos + 1
      skip()
      if text:sub(pos, pos) == "]" then
        pos = pos + 1
        return array
      end
      while true do
        local item = value()
        if item ~= nil then
          table.insert(array, item)
        end
        skip()
        local sep = text:sub(pos, pos)
        pos = pos + 1
        if sep == "]" then
          return array
        elseif sep ~= "," then
          pos = pos - 1
          fail("expected ',' or ']'")
        end
      end
    elseif c == '"' then
      return str()
    elseif text:find("^true", pos) then
      pos = pos + 4
      return true
    elseif text:find("^false", pos) then
      pos = pos + 5
      return false
    elseif text:find("^null", pos) then
      pos = pos + 4
      return nil
    end
    local number = text:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
    if number == nil or tonumber(number) == nil then
      fail("unexpected " .. (c == "" and "end of input" or ("'" .. c .. "'")))
    end
    pos = pos + #number
    return tonumber(number)
  end

  local result = value()
  skip()
  if pos <= #text then
    fail("trailing characters")
  end
  return result
end

-- ------------------------------------------------------------------ run
local checkFile, objectFile = arg[1], arg[2]
if checkFile == nil then
  die(1, "usage: lua5.1 harness.lua CHECK.lua [OBJECT.json]")
end

local text
if objectFile ~= nil then
  local f, err = io.open(objectFile, "rb")
  if f == nil then
    die(2, err)
  end
  text = f:read("*a")
  f:close()
else
  text = io.read("*a")
end
local decoded, object = pcall(decode, text)
if not decoded then
  die(2, object)
end
if type(object) ~= "table" then
  die(2, "the object is not a JSON object")
end

local check, loadError = loadfile(checkFile)
if check == nil then
  die(3, loadError)
end

local function copy(t)
  local c = {}
  for k, v in pairs(t) do
    c[k] = v
  end
  return c
end

local sandbox = {
  obj = object,
  assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = pcall, print = print,
  rawequal = rawequal, rawget = rawget, rawset = rawset, select = select, tonumber = tonumber,
  tostring = tostring, type = type, unpack = unpack, xpcall = xpcall, _VERSION = _VERSION,
  table = copy(table),
}
sandbox._G = sandbox
setfenv(check, sandbox)

-- No string methods either: Argo CD does not open the string library, so ("x"):upper() fails there.
local stringMeta = getmetatable("")
local stringIndex = stringMeta.__index
stringMeta.__index = nil
local ran, hs = pcall(check)
stringMeta.__index = stringIndex
if not ran then
  die(3, "the check failed: " .. tostring(hs))
end

local valid = { Healthy = true, Progressing = true, Degraded = true, Suspended = true, Missing = true, Unknown = true }
if type(hs) ~= "table" then
  die(3, "the check returned " .. type(hs) .. ", not a table")
end
if not valid[hs.status] then
  die(3, "invalid health status " .. tostring(hs.status) .. " (Argo CD would show Unknown)")
end
if hs.message ~= nil and type(hs.message) ~= "string" then
  die(3, "message is a " .. type(hs.message) .. ", not a string")
end
io.write(hs.status, "\n", hs.message or "")
