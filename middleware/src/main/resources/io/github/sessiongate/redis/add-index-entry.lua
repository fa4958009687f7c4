-- Adds a session's index entries in its new shard after a session id change (before they are
-- taken from the old one, so a crash in between leaves an entry the sweep drops, never none).
-- KEYS: 1 live index, 2 live count per tenant, 3 history, 4 references (hash), 5 ended references
-- A: member, tenant, live (score, '' none), sessionId, history (score, '' none), ttl (ms),
--    ref (the new id's reference). Reply: added 1
local A = named()
local ttl = tonumber(A.ttl)
if A.live ~= '' and add_counted(KEYS[1], KEYS[2], A.live, A.member, A.tenant) == 1 then
	extend(KEYS[1], ttl)
	extend(KEYS[2], ttl)
end
if A.history ~= '' then
	redis.call('ZADD', KEYS[3], A.history, A.sessionId)
	extend(KEYS[3], ttl)
	redis.call('ZADD', KEYS[5], A.history, A.ref)
	extend(KEYS[5], ttl)
end
if A.live ~= '' or A.history ~= '' then
	redis.call('HSET', KEYS[4], A.ref, A.sessionId)
	extend(KEYS[4], ttl)
end
return { 'added', 1 }
