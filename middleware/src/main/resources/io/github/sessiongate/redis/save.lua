-- Saves a session's changes (SessionGateRedisSessionRepository). KEYS: 1 session data;
-- ARGV: as save_data in session-data.lua. Returns {1} when written, {0} when the session was gone
return { save_data(KEYS[1], ARGV, 1) }
