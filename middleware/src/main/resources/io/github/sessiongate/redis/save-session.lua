-- Saves a session's changes (SessionGateRedisSessionRepository). KEYS: 1 session data.
-- A and the list: as save_data in session-data.lua. Reply: saved (0 when the session was gone)
local A, list = named()
return { 'saved', save_data(KEYS[1], A, list) }
