-- Removes a session's index entries from its old shard after a session id change.
-- KEYS: 1 live index, 2 live count per tenant, 3 history. A: member, tenant, sessionId. Reply: removed
local A = named()
local removed = remove_counted(KEYS[1], KEYS[2], A.member, A.tenant)
redis.call('ZREM', KEYS[3], A.sessionId)
return { 'removed', removed }
