-- Removes a session's index entries from its old shard after a session id change.
-- KEYS: 1 live index, 2 live count per tenant, 3 history, 4 references (hash), 5 ended references
-- A: member, tenant, sessionId, ref (the old id's reference). Reply: removed
local A = named()
local removed = remove_counted(KEYS[1], KEYS[2], A.member, A.tenant)
redis.call('ZREM', KEYS[3], A.sessionId)
if redis.call('HGET', KEYS[4], A.ref) == A.sessionId then
	redis.call('HDEL', KEYS[4], A.ref)
end
redis.call('ZREM', KEYS[5], A.ref)
return { 'removed', removed }
