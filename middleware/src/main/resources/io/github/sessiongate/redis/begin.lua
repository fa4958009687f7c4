-- Admits a request: one round trip at request start (see admit.lua for the arguments and reply).
-- KEYS: 1 record, 2 leases
local now, nowms = clock()
return admit(KEYS[1], KEYS[2], ARGV, now, nowms)
