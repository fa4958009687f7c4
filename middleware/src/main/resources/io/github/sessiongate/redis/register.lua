-- Counts a new session in its tenant, enforcing the total-sessions limit atomically.
-- KEYS: 1 live index (sorted set: '<session id> <tenant>' scored by next sweep check, ms), 2 live count per tenant (hash)
-- ARGV: 1 member, 2 tenant, 3 idle timeout (ms), 4 max sessions (0 none), 5 index ttl beyond the newest check (ms),
--       6 absolute deadline (ms, 0 none)
-- Returns 1 when counted (or counted before), 0 when the tenant is at the limit
local live, count = KEYS[1], KEYS[2]
if redis.call('ZSCORE', live, ARGV[1]) then
	return { 1 }
end
local max = tonumber(ARGV[4])
if max > 0 and tonumber(redis.call('HGET', count, ARGV[2]) or '0') >= max then
	return { 0 }
end
local _, nowms = clock()
local check = nowms + tonumber(ARGV[3]) + 1
local deadline = tonumber(ARGV[6])
if deadline > 0 and deadline < check then
	check = math.max(deadline, nowms)
end
redis.call('ZADD', live, fmt(check), ARGV[1])
redis.call('HINCRBY', count, ARGV[2], 1)
local ttl = check - nowms + tonumber(ARGV[5])
extend(live, ttl)
extend(count, ttl)
return { 1 }
