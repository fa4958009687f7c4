-- Adds a new session to its index shard (the limit on all sessions is count-in's).
-- KEYS: 1 live index of the shard (sorted set: '<session id> <tenant>' scored by next sweep check, ms),
--       2 live count per tenant of the shard (hash)
-- ARGV: 1 member, 2 tenant, 3 idle timeout (ms), 4 index ttl beyond the newest check (ms),
--       5 absolute deadline (ms, 0 none)
-- Returns {1} when added, {0} when indexed before
local live, count = KEYS[1], KEYS[2]
if redis.call('ZSCORE', live, ARGV[1]) then
	return { 0 }
end
local _, nowms = clock()
local check = nowms + tonumber(ARGV[3]) + 1
local deadline = tonumber(ARGV[5])
if deadline > 0 and deadline < check then
	check = math.max(deadline, nowms)
end
redis.call('ZADD', live, fmt(check), ARGV[1])
redis.call('HINCRBY', count, ARGV[2], 1)
local ttl = check - nowms + tonumber(ARGV[4])
extend(live, ttl)
extend(count, ttl)
return { 1 }
