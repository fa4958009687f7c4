-- Reads a session's stats. KEYS: 1 record, 2 leases. Returns stats or false.
if redis.call('EXISTS', KEYS[1]) == 0 then
	return false
end
local _, nowms = clock()
return stats(KEYS[1], KEYS[2], nowms)
