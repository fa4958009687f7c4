-- Reads a session's index entries, for a session id change that moves it to another shard.
-- KEYS: 1 live index, 2 history. A: member, sessionId
-- Reply: live (score or ''), history (score or '')
local A = named()
return { 'live', redis.call('ZSCORE', KEYS[1], A.member) or '', 'history',
	redis.call('ZSCORE', KEYS[2], A.sessionId) or '' }
