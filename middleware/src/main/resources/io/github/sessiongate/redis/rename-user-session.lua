-- Follows a session id change in a user's index. KEYS: 1 live, 2 ended. A: oldId, newId
-- Reply: renamed 1
local A = named()
rename_member(KEYS[1], A.oldId, A.newId)
rename_member(KEYS[2], A.oldId, A.newId)
return { 'renamed', 1 }
