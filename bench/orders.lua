-- Orders for wrk (bench/run.sh): POST /api/orders for one donut each, on the SKU PREFIX when N
-- is 1 (the hot donut), else on one of PREFIX-00000 .. PREFIX-<N-1> drawn uniformly per request.
--
-- Usage: wrk ... -s bench/orders.lua URL -- PREFIX N
--
-- Prints one line, "orders sent S 201 A 409 B other C": wrk stops with requests in flight and
-- does not count their answers, so S - A - B - C orders were cut off and may or may not have
-- been sold; the books allow for exactly that many.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  prefix = args[1]
  skus = tonumber(args[2])
  sent, created, conflict, other = 0, 0, 0, 0
  math.randomseed(os.time() * 100 + id)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  sent = sent + 1
  local sku = prefix
  if skus > 1 then
    sku = string.format("%s-%05d", prefix, math.random(0, skus - 1))
  end
  return wrk.format(nil, nil, nil, '{"sku":"' .. sku .. '","quantity":1}')
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status == 409 then
    conflict = conflict + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local total = { sent = 0, created = 0, conflict = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(total) do
      total[name] = total[name] + thread:get(name)
    end
  end
  io.write(string.format("orders sent %d 201 %d 409 %d other %d\n", total.sent, total.created, total.conflict, total.other))
end
