-- Reads a session's stats. KEYS: 1 record, 2 leases. Reply: kind gone, or kind found and the stats
if redis.call('EXISTS', KEYS[1]) == 0 then
	return { 'kind', 'gone' }
end
local _, nowms = clock()
return append({ 'kind', 'found' }, stats(KEYS[1], KEYS[2], nowms))
