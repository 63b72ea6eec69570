-- A request's answer (or its failure) came back: adapt the host's pace, open the gate, and
-- with "release" give the slot back. The pace rules are those of scraper/fetch/politeness.py:
-- the delay is the larger of the base delay and robots.txt's Crawl-delay, times a backoff that
-- doubles on 429/503 (from at least 250 ms) and decays by 0.75 on success, raised to the
-- host's moving-average latency when that exceeds a second.
-- KEYS: 1 host hash, 2 slots zset
-- ARGV: 1 token, 2 base delay ms, 3 status (0: a timeout; -1: no answer to report, only the
--       release), 4 latency ms or -1, 5 Retry-After ms or -1, 6 "1" to release the slot
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local h = redis.call('HMGET', KEYS[1], 'next', 'cool', 'gate', 'backoff', 'crawl', 'latency')
local status, latency = tonumber(ARGV[3]), tonumber(h[6] or '0')
if status < 0 and h[3] ~= ARGV[1] then
  redis.call('ZREM', KEYS[2], ARGV[1])  -- the answer was reported already: just free the slot
  return 0
end
local backoff = tonumber(h[4] or '1')
if tonumber(ARGV[4]) >= 0 then
  latency = 0.3 * tonumber(ARGV[4]) + 0.7 * latency
  redis.call('HSET', KEYS[1], 'latency', latency)
end
if tonumber(ARGV[5]) >= 0 then
  local cool = math.max(tonumber(h[2] or '0'), now + math.min(tonumber(ARGV[5]), 3600000))
  redis.call('HSET', KEYS[1], 'cool', cool)
end
if status == 429 or status == 503 then
  backoff = math.min(backoff * 2, 32)
elseif status > 0 and status < 400 then
  backoff = math.max(1, backoff * 0.75)
end
redis.call('HSET', KEYS[1], 'backoff', backoff)
local base = math.max(tonumber(ARGV[2]), tonumber(h[5] or '0'))
if backoff > 1 then
  base = math.max(base, 250)
end
local delay = base * backoff
if latency > 1000 then
  delay = math.max(delay, latency)
end
if delay > 0 then
  redis.call('HSET', KEYS[1], 'next', math.max(tonumber(h[1] or '0'), now + delay))
end
if h[3] == ARGV[1] then
  redis.call('HDEL', KEYS[1], 'gate', 'gate_until')
end
if ARGV[6] == '1' then
  redis.call('ZREM', KEYS[2], ARGV[1])
end
redis.call('PEXPIRE', KEYS[1], 86400000)
return 0
