-- First half of a session id change: takes the state away from the old id and leaves a
-- pointer for requests still in progress.
-- KEYS: 1 record, 2 leases, 3 moved pointer; ARGV: 1 new id, 2 pointer lifetime (ms)
-- Returns false | {ttl (ms), {record fields...}, {lease, deadline, ...}}
local rec, leases = KEYS[1], KEYS[2]
if redis.call('EXISTS', rec) == 0 then
	return false
end
local ttl = redis.call('PTTL', rec)
local data = redis.call('HGETALL', rec)
local held = redis.call('ZRANGE', leases, 0, -1, 'WITHSCORES')
redis.call('DEL', rec, leases)
redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[2])
return { ttl, data, held }
