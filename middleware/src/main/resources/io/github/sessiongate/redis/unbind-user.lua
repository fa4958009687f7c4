-- Removes a session from a user's index. KEYS: 1 live, 2 ended. A: sessionId. Reply: removed
local A = named()
local removed = redis.call('ZREM', KEYS[1], A.sessionId) + redis.call('ZREM', KEYS[2], A.sessionId)
return { 'removed', removed }
