-- Replays prepared requests (one per line: METHOD \t PATH \t TOKEN \t BODY) in order, each once
-- per pass, so a run of signs signs distinct cases; records non-2xx answers.
local requests = {}
local next_index = 0

function init(args)
  for line in io.lines(args[1]) do
    local method, path, token, body = line:match("^(%S+)\t(%S+)\t(%S+)\t?(.*)$")
    local headers = { ["Authorization"] = "Bearer " .. token }
    if body ~= nil and body ~= "" then
      headers["Content-Type"] = "application/json"
    else
      body = nil
    end
    table.insert(requests, wrk.format(method, path, headers, body))
  end
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end
