-- Ends a live session. KEYS: 1 record, 2 leases; ARGV: 1 status, 2 reason, 3 history retention (ms)
-- Returns stats, or false when the session is unknown or already ended.
local rec, leases = KEYS[1], KEYS[2]
if redis.call('HGET', rec, 'st') ~= 'ACTIVE' then
	return false
end
local now, nowms = clock()
return finish(rec, leases, ARGV[1], ARGV[2], now, nowms, tonumber(ARGV[3]))
