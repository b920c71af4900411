import { createHash } from "node:crypto";

/*
 * The one Lua script behind the Redis store (EVALSHA, EVAL on NOSCRIPT): applies an instance's
 * operations atomically, then returns every record, and publishes the records it changed.
 *
 * The fleet's whole state is one hash (so the script touches one key: fine on a cluster too):
 *   gen      generation: set when missing; a new one means Redis lost its data (restart, flush)
 *   seq      version counter: every change of a breaker or cooling record takes the next one
 *   r:<id>   one (provider, model): JSON {b: breaker, c: cooling, l: probe lease, s: strikes}
 * Every time is the server's (TIME), in ms: instances send and receive durations only, so their
 * clocks never meet. Deadlines are an atomic max: a record that ends later is never shortened.
 * The lease is SET NX PX and compare-and-delete, as fields: taken when absent, expired, or already
 * ours; released only by its holder.
 * Tombstones of a close or an un-cool stay a minute, so every instance's poll sees them; a break
 * nobody probed for 10 minutes is dropped.
 */
export const exchangeScript = `
local key = KEYS[1]
local req = cjson.decode(ARGV[1])
local channel = ARGV[2]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local inst = req.instance
local gen = redis.call('HGET', key, 'gen')
if not gen then
  gen = req.generation
  redis.call('HSET', key, 'gen', gen)
end
local seq = tonumber(redis.call('HGET', key, 'seq') or '0')
local seq0 = seq
local records, dirty, changed = {}, {}, {}
local function load(id)
  local r = records[id]
  if r == nil then
    local raw = redis.call('HGET', key, 'r:' .. id)
    if raw then r = cjson.decode(raw) else r = {} end
    records[id] = r
  end
  return r
end
local function version()
  seq = seq + 1
  return seq
end
local function out(b)
  return b ~= nil and b.s ~= 'closed'
end
local function touch(id, publish)
  dirty[id] = true
  if publish then changed[id] = true end
end
for _, op in ipairs(req.ops) do
  local id = op.k
  local r = load(id)
  local kind = op.op
  if kind == 'open' then
    local u = now + op.ms
    local b = r.b
    if not out(b) or b.u < u then
      local level = op.level
      if out(b) and b.l > level then level = b.l end
      r.b = { s = op.state, u = u, l = level, r = op.reason, st = op.status, by = inst, v = version(), at = now, lr = op.spent == true }
      r.s = nil
      touch(id, true)
    end
    if r.l ~= nil and r.l.o == inst then r.l = nil; touch(id, true) end
  elseif kind == 'close' then
    if out(r.b) and r.b.at <= now - op.ageMs then
      r.b = { s = 'closed', by = inst, v = version(), at = now }
      touch(id, true)
    end
    if r.s ~= nil then r.s = nil; touch(id, true) end
    if r.l ~= nil then r.l = nil; touch(id, true) end
  elseif kind == 'cool' then
    local u = now + op.ms
    local c = r.c
    if c == nil or c.s ~= 'cooling' or c.u < u then
      r.c = { s = 'cooling', u = u, cap = op.capped, st = op.status, by = inst, v = version(), at = now }
      touch(id, true)
    end
  elseif kind == 'uncool' then
    local c = r.c
    if c ~= nil and c.s == 'cooling' and c.at <= now - op.ageMs then
      r.c = { s = 'none', by = inst, v = version(), at = now }
      touch(id, true)
    end
  elseif kind == 'strike' then
    if not out(r.b) then
      local n = 0
      if r.s ~= nil and r.s.u > now then n = r.s.n end
      local first = n == 0
      n = n + op.n
      if n >= op.threshold then
        r.b = { s = 'open', u = now + op.ms, l = 1, r = 'consecutive-failures', by = inst, v = version(), at = now, lr = false }
        r.s = nil
        touch(id, true)
      else
        r.s = { n = n, u = now + op.windowMs }
        touch(id, first)
      end
    end
  elseif kind == 'unstrike' then
    if r.s ~= nil then r.s = nil; touch(id, true) end
  elseif kind == 'spend' then
    if out(r.b) and not r.b.lr then
      r.b.lr = true
      r.b.v = version()
      touch(id, true)
    end
  elseif kind == 'claim' then
    local l = r.l
    if l == nil or l.u <= now or l.o == inst then
      r.l = { o = inst, u = now + op.ms }
      touch(id, true)
    end
  elseif kind == 'release' then
    if r.l ~= nil and r.l.o == inst then r.l = nil; touch(id, true) end
  end
end
for id, _ in pairs(dirty) do
  if next(records[id]) == nil then
    redis.call('HDEL', key, 'r:' .. id)
  else
    redis.call('HSET', key, 'r:' .. id, cjson.encode(records[id]))
  end
end
if seq ~= seq0 then redis.call('HSET', key, 'seq', seq) end
local all = {}
local fields = redis.call('HGETALL', key)
for i = 1, #fields, 2 do
  local f = fields[i]
  if string.sub(f, 1, 2) == 'r:' then
    local r = cjson.decode(fields[i + 1])
    local pruned = false
    if r.s ~= nil and r.s.u <= now then r.s = nil; pruned = true end
    if r.l ~= nil and r.l.u <= now then r.l = nil; pruned = true end
    local b = r.b
    if b ~= nil and ((b.s == 'closed' and b.at < now - 60000) or (b.s ~= 'closed' and b.u < now - 600000)) then
      r.b = nil
      pruned = true
    end
    local c = r.c
    if c ~= nil and ((c.s == 'none' and c.at < now - 60000) or (c.s == 'cooling' and c.u < now - 60000)) then
      r.c = nil
      pruned = true
    end
    if next(r) == nil then
      redis.call('HDEL', key, f)
    else
      if pruned then redis.call('HSET', key, f, cjson.encode(r)) end
      all[string.sub(f, 3)] = r
    end
  end
end
redis.call('PEXPIRE', key, 86400000)
if next(changed) ~= nil then
  local pushed = {}
  for id, _ in pairs(changed) do
    if next(records[id]) ~= nil then pushed[id] = records[id] else pushed[id] = { gone = true } end
  end
  redis.call('PUBLISH', channel, cjson.encode({ g = gen, n = now, by = inst, r = pushed }))
end
return cjson.encode({ g = gen, n = now, r = all })
`;

export const exchangeScriptSha = createHash("sha1").update(exchangeScript).digest("hex");
