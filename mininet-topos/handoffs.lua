-- wrk script for bench_handoffs.py: POSTs one handoff per pre-made connection, as the node that owns it.
-- Environment: FIRST (first client port), COUNT, OWNERS (a file of "port node-index" lines, 0-based, read
-- from the switch's steering flows), NODES, THREADS, CLIENT (client IP), VIP, NODE_IPS and TOKENS
-- (comma-separated, node1 first).
local function split(s)
  local t = {}
  for v in string.gmatch(s, "[^,]+") do t[#t + 1] = v end
  return t
end

local first, count = tonumber(os.getenv("FIRST")), tonumber(os.getenv("COUNT"))
local nodes = tonumber(os.getenv("NODES"))
local owners = {}
for line in io.lines(os.getenv("OWNERS")) do
  local port, owner = string.match(line, "(%d+) (%d+)")
  owners[tonumber(port)] = tonumber(owner)
end
local client, vip = os.getenv("CLIENT"), os.getenv("VIP")
local ips, tokens = split(os.getenv("NODE_IPS")), split(os.getenv("TOKENS"))
local threads, next_index, step = {}, 0, 1

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  next_index = index
  step = tonumber(os.getenv("THREADS"))
end

local function conn(localaddr, remote, snd, rcv, clock, recent)
  return string.format('{"local":"%s","remote":"%s","sndNxt":%d,"rcvNxt":%d,"options":{"peerMss":1460,' ..
    '"localMss":1460,"peerWindowShift":7,"localWindowShift":7,"sack":true,"timestamps":true},' ..
    '"localTsClock":%d,"peerTsRecent":%d}', localaddr, remote, snd, rcv, clock, recent)
end

local first_call = true

function request()
  -- wrk calls request() once more than it sends (measured): let that call spend no connection.
  if first_call or next_index >= count then
    first_call = false
    return wrk.format("GET", "/tcpsplice/v1/health")
  end
  local i = next_index
  next_index = next_index + step
  local owner = owners[first + i]
  local target = (owner + 1) % nodes
  -- c2's local port follows the client's, so that no two rounds reuse a c2 4-tuple (that is a CONFLICT)
  local body = '{"clientSide":' .. conn(vip .. ":80", client .. ":" .. (first + i), 5000, 4000, 500000, 1000000) ..
    ',"newConnection":' .. conn(ips[owner + 1] .. ":" .. (first + i - 10000), ips[target + 1] .. ":80", 2000, 7000,
    700000, 900000) .. '}'
  return wrk.format("POST", "/tcpsplice/v1/handoffs",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[owner + 1]}, body)
end
