-- Follows a session id change within one index shard.
-- KEYS: 1 live index, 2 history, 3 references (hash), 4 ended references (sorted set)
-- A: oldMember, newMember, oldId, newId, oldRef, newRef (the references of the ids), ttl (of the
-- references when they get their first entry here, ms). Reply: renamed 1
local A = named()
rename_member(KEYS[1], A.oldMember, A.newMember)
rename_member(KEYS[2], A.oldId, A.newId)
if redis.call('HGET', KEYS[3], A.oldRef) == A.oldId then
	redis.call('HDEL', KEYS[3], A.oldRef)
end
if redis.call('ZSCORE', KEYS[1], A.newMember) or redis.call('ZSCORE', KEYS[2], A.newId) then
	redis.call('HSET', KEYS[3], A.newRef, A.newId)
	extend(KEYS[3], tonumber(A.ttl))
end
rename_member(KEYS[4], A.oldRef, A.newRef)
return { 'renamed', 1 }
