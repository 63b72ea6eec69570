-- Settle a leased URL, only if the caller still holds its lease: queue its links, then either
-- hold its new state while its record is written ("write"), or save that state and mark the
-- URL done ("done").
-- KEYS: 1 queue, 2 leases, 3 owners, 4 depths, 5 pending, 6 seen, 7 seq, 8 pages,
--       9 contents (hash content hash -> url), 10 the set of URLs duplicating the page's
--       holder (any key when the page is no duplicate), 11 the run's counts hash
-- ARGV: 1 url, 2 token, 3 "write" | "done", 4 page state json or "", 5 content hash to claim
--       or "", 6 "1" when the url joins KEYS[10], 7 JSON [[url, depth], ...],
--       8 JSON {outcome: n} the worker counted since its last call
-- Returns 1, or 0 when the lease was lost (expired and taken by another worker).
local function merged(new_json, old_json)
  -- as the SQLite state's upsert: keep the old content hash and record id when the new state
  -- has none (a 304, a listing), and never lower the revision
  if not old_json then
    return new_json
  end
  local new, old = cjson.decode(new_json), cjson.decode(old_json)
  for _, field in ipairs({'content_hash', 'record_id'}) do
    if new[field] == nil or new[field] == cjson.null then
      new[field] = old[field]
    end
  end
  if type(old.revision) == 'number' and old.revision > (new.revision or 0) then
    new.revision = old.revision
  end
  return cjson.encode(new)
end

for outcome, number in pairs(cjson.decode(ARGV[8])) do
  redis.call('HINCRBY', KEYS[11], outcome, number)  -- counted whether the lease holds or not
end
local url = ARGV[1]
if redis.call('HGET', KEYS[3], url) ~= ARGV[2] then
  return 0
end
for _, entry in ipairs(cjson.decode(ARGV[7])) do
  local link, depth = entry[1], entry[2]
  if redis.call('SADD', KEYS[6], string.sub(redis.sha1hex(link), 1, 16)) == 1 then
    redis.call('HSET', KEYS[4], link, depth)
    redis.call('ZADD', KEYS[1], depth * 4294967296 + redis.call('INCR', KEYS[7]), link)
  end
end
if ARGV[3] == 'write' then
  redis.call('HSET', KEYS[5], url, ARGV[4])
  return 1
end
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[8], url, merged(ARGV[4], redis.call('HGET', KEYS[8], url)))
  if ARGV[5] ~= '' then
    redis.call('HSET', KEYS[9], ARGV[5], url)
  end
  if ARGV[6] == '1' then
    redis.call('SADD', KEYS[10], url)
  end
end
redis.call('ZREM', KEYS[2], url)
redis.call('HDEL', KEYS[3], url)
redis.call('HDEL', KEYS[4], url)
redis.call('HDEL', KEYS[5], url)
return 1
