-- Loads a session's data (SessionGateRedisSessionRepository). KEYS: 1 session data.
-- Returns the fields and values, or {'nodata'}
local _, nowms = clock()
return load_data(KEYS[1], nowms) or { 'nodata' }
