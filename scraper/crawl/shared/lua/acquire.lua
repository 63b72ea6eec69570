-- Ask for a request slot to a host, for every worker of the crawl together.
-- Granted when the host has a free slot (per-host concurrency), its next start time and any
-- Retry-After cool-down have passed, and, when the host has a delay, no other request is
-- between its grant and its response headers (the gate): the delay is counted from the
-- moment the previous request's answer came back, so no two requests reach the host closer
-- than the delay, whichever workers send them and however late they are sent.
-- KEYS: 1 host (hash: next, cool, gate, gate_until, backoff, crawl, latency; times in ms)
--       2 slots (zset token -> expiry ms)
-- ARGV: 1 token, 2 base delay ms, 3 per-host concurrency, 4 slot ttl ms
-- Returns 0 when granted, else the milliseconds to wait before asking again.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then
  return 20
end
local h = redis.call('HMGET', KEYS[1], 'next', 'cool', 'gate', 'gate_until', 'backoff', 'crawl')
if h[3] and tonumber(h[4] or '0') > now then
  return 10
end
local start = math.max(tonumber(h[1] or '0'), tonumber(h[2] or '0'))
if start > now then
  return start - now
end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[1])
local base = math.max(tonumber(ARGV[2]), tonumber(h[6] or '0'))
if base > 0 or tonumber(h[5] or '1') > 1 then
  redis.call('HSET', KEYS[1], 'gate', ARGV[1], 'gate_until', now + tonumber(ARGV[4]))
end
return 0
