-- Stops counting an ended (or vanished) session and keeps it in the history index (of its shard).
-- KEYS: 1 live index, 2 live count per tenant, 3 history (sorted set: session id scored by end time, ms)
-- ARGV: 1 member, 2 tenant, 3 session id, 4 end time (us, '0' when the record is gone), 5 history retention (ms),
--       6 index ttl beyond the retention (ms)
-- Returns {1} when the session was still counted as live, {0} otherwise
local live, count, history = KEYS[1], KEYS[2], KEYS[3]
local removed = redis.call('ZREM', live, ARGV[1])
if removed == 1 then
	if redis.call('HINCRBY', count, ARGV[2], -1) <= 0 then
		redis.call('HDEL', count, ARGV[2])
	end
end
local _, nowms = clock()
local retention = tonumber(ARGV[5])
local ended = tonumber(ARGV[4])
if ended > 0 then
	redis.call('ZADD', history, fmt(math.floor(ended / 1000)), ARGV[3])
	extend(history, retention + tonumber(ARGV[6]))
end
redis.call('ZREMRANGEBYSCORE', history, '-inf', '(' .. fmt(nowms - retention))
return { removed }
