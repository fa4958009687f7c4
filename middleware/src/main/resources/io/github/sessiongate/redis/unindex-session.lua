-- Stops counting an ended (or vanished) session and keeps it in the history index (of its shard).
-- KEYS: 1 live index, 2 live count per tenant, 3 history (sorted set: session id scored by end time, ms)
-- A: member, tenant, sessionId, endedAt (us, '0' when the record is gone), retention (ms),
--    margin (index TTL beyond the retention, ms)
-- Reply: removed (1 when the session was still counted as live)
local A = named()
local removed = remove_counted(KEYS[1], KEYS[2], A.member, A.tenant)
local _, nowms = clock()
local retention = tonumber(A.retention)
local ended = tonumber(A.endedAt)
if ended > 0 then
	redis.call('ZADD', KEYS[3], math.floor(ended / 1000), A.sessionId)
	extend(KEYS[3], retention + tonumber(A.margin))
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. nowms - retention)
return { 'removed', removed }
