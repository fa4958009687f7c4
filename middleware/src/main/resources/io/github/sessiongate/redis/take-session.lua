-- Takes a session's data away for an id change: reads it and deletes it. KEYS: 1 session data
-- Reply: kind nodata, or kind found and data (fields and values)
local _, nowms = clock()
local h = load_data(KEYS[1], nowms)
if not h then
	return { 'kind', 'nodata' }
end
redis.call('DEL', KEYS[1])
return { 'kind', 'found', 'data', h }
