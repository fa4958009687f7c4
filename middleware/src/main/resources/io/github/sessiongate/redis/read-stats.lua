-- Reads a session's stats. KEYS: 1 record, 2 leases.
-- Reply: kind gone, or kind found, the stats and metadata (the kept application metadata, encoded)
if redis.call('EXISTS', KEYS[1]) == 0 then
	return { 'kind', 'gone' }
end
local _, nowms = clock()
return append({ 'kind', 'found', 'metadata', redis.call('HGET', KEYS[1], 'md') or '' }, stats(KEYS[1], KEYS[2], nowms))
