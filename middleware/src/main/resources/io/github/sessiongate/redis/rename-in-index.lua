-- Follows a session id change within one index shard. KEYS: 1 live index, 2 history
-- A: oldMember, newMember, oldId, newId. Reply: renamed 1
local A = named()
rename_member(KEYS[1], A.oldMember, A.newMember)
rename_member(KEYS[2], A.oldId, A.newId)
return { 'renamed', 1 }
