-- Loads a session's data (SessionGateRedisSessionRepository). KEYS: 1 session data.
-- Reply: kind nodata, or kind found and data (fields and values)
local _, nowms = clock()
local h = load_data(KEYS[1], nowms)
if not h then
	return { 'kind', 'nodata' }
end
return { 'kind', 'found', 'data', h }
