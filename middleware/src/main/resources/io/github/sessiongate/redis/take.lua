-- Takes a session's data away for an id change: returns its fields and deletes it, or
-- {'nodata'}. KEYS: 1 session data
local _, nowms = clock()
local h = load_data(KEYS[1], nowms)
if not h then
	return { 'nodata' }
end
redis.call('DEL', KEYS[1])
return h
