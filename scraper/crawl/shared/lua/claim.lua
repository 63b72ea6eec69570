-- Take the next URL of a source's queue with a lease; first put expired leases back.
-- KEYS: 1 queue (zset url -> depth * 2^32 + seq), 2 leases (zset url -> expiry ms),
--       3 owners (hash url -> token), 4 depths (hash url -> depth), 5 pending (hash url -> json),
--       6 taken (counter of URLs taken this run)
-- ARGV: 1 lease ms, 2 worker token, 3 max pages of the run
-- Returns {url, depth, pending json or ""}, or false when nothing can be taken now.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 100)
for _, u in ipairs(expired) do
  redis.call('ZREM', KEYS[2], u)
  redis.call('HDEL', KEYS[3], u)
  redis.call('ZADD', KEYS[1], tonumber(redis.call('HGET', KEYS[4], u) or '0') * 4294967296, u)
  redis.call('DECR', KEYS[6])
end
if tonumber(redis.call('GET', KEYS[6]) or '0') >= tonumber(ARGV[3]) then
  return false
end
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then
  return false
end
local url = popped[1]
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), url)
redis.call('HSET', KEYS[3], url, ARGV[2])
redis.call('INCR', KEYS[6])
return {url, redis.call('HGET', KEYS[4], url) or '0', redis.call('HGET', KEYS[5], url) or ''}
