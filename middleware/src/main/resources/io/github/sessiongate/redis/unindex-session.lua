-- Stops counting an ended (or vanished) session and keeps it in the history index (of its shard).
-- KEYS: 1 live index, 2 live count per tenant, 3 history (sorted set: session id scored by end time, ms),
--       4 references (hash: reference -> session id), 5 ended references (sorted set: reference by end time, ms)
-- A: member, tenant, sessionId, endedAt (us, '0' when the record is gone), retention (ms),
--    margin (index TTL beyond the retention, ms), ref (the session's reference)
-- Reply: removed (1 when the session was still counted as live)
local A = named()
local removed = remove_counted(KEYS[1], KEYS[2], A.member, A.tenant)
local _, nowms = clock()
local retention = tonumber(A.retention)
local ended = tonumber(A.endedAt)
if ended > 0 then
	local endedms = math.floor(ended / 1000)
	redis.call('ZADD', KEYS[3], endedms, A.sessionId)
	extend(KEYS[3], retention + tonumber(A.margin))
	-- the reference resolves as long as the history holds the session
	redis.call('HSET', KEYS[4], A.ref, A.sessionId)
	redis.call('ZADD', KEYS[5], endedms, A.ref)
	extend(KEYS[4], retention + tonumber(A.margin))
	extend(KEYS[5], retention + tonumber(A.margin))
elseif redis.call('HGET', KEYS[4], A.ref) == A.sessionId then
	redis.call('HDEL', KEYS[4], A.ref)
end
local cutoff = '(' .. nowms - retention
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', cutoff)
-- references leave with the history entries, a bounded batch per call (every end trims)
local old = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', cutoff, 'LIMIT', 0, 1000)
if #old > 0 then
	redis.call('HDEL', KEYS[4], unpack(old))
	redis.call('ZREM', KEYS[5], unpack(old))
end
return { 'removed', removed }
