-- wrk_load.lua with a think time: before each request a connection waits an exponentially
-- distributed time of mean args[2] ms, as a person between two taps (wrk's latency figures
-- leave the wait out).
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "wrk_load.lua")
local load_init = init
local think_ms = 0

function init(args)
  load_init(args)
  think_ms = tonumber(args[2]) or 0
  math.randomseed(os.time())
end

function delay()
  return math.floor(-math.log(1 - math.random()) * think_ms)
end
