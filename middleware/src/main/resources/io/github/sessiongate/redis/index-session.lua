-- Adds a new session to its index shard (the limit on all sessions is count-session's).
-- KEYS: 1 live index of the shard (sorted set: '<session id> <tenant>' scored by next sweep check, ms),
--       2 live count per tenant of the shard (hash), 3 references of the shard (hash: reference -> session id)
-- A: member, tenant, idle (ms), ttl (index TTL beyond the newest check, ms), deadline (absolute, ms, 0 none),
--    sessionId, ref (the session's reference)
-- Reply: added (0 when indexed before)
local A = named()
local _, nowms = clock()
local check = nowms + tonumber(A.idle) + 1
local deadline = tonumber(A.deadline)
if deadline > 0 and deadline < check then
	check = math.max(deadline, nowms)
end
local added = add_counted(KEYS[1], KEYS[2], check, A.member, A.tenant)
if added == 1 then
	local ttl = check - nowms + tonumber(A.ttl)
	redis.call('HSET', KEYS[3], A.ref, A.sessionId)
	extend(KEYS[1], ttl)
	extend(KEYS[2], ttl)
	extend(KEYS[3], ttl)
end
return { 'added', added }
