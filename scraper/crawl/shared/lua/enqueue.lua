-- Queue URLs not yet seen in this run, breadth-first (lower depth first, then first queued).
-- KEYS: 1 queue, 2 depths, 3 seen (set of the first 16 hex digits of each URL's SHA-1), 4 seq
-- ARGV: 1 JSON [[url, depth], ...]
-- Returns how many were new.
local added = 0
for _, entry in ipairs(cjson.decode(ARGV[1])) do
  local url, depth = entry[1], entry[2]
  if redis.call('SADD', KEYS[3], string.sub(redis.sha1hex(url), 1, 16)) == 1 then
    redis.call('HSET', KEYS[2], url, depth)
    redis.call('ZADD', KEYS[1], depth * 4294967296 + redis.call('INCR', KEYS[4]), url)
    added = added + 1
  end
end
return added
