-- Reads a session's stream counts. KEYS: 1 record, 2 streams. Reply: open (leases not expired),
-- count (streams the session opened)
local _, nowms = clock()
local open = redis.call('ZCOUNT', KEYS[2], '(' .. nowms, '+inf')
return { 'open', open, 'count', redis.call('HGET', KEYS[1], 'sc') or '0' }
