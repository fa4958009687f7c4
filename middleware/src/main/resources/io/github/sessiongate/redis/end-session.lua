-- Ends a live session. KEYS: 1 record, 2 leases. A: status, reason, retention (history, ms)
-- Reply: kind gone (unknown or ended before), or kind ended, the final stats and metadata (encoded)
local A = named()
local rec, leases = KEYS[1], KEYS[2]
if redis.call('HGET', rec, 'st') ~= 'ACTIVE' then
	return { 'kind', 'gone' }
end
local now, nowms = clock()
return append({ 'kind', 'ended', 'metadata', redis.call('HGET', rec, 'md') or '' }, finish(rec, leases, A.status, A.reason, now, nowms, tonumber(A.retention)))
