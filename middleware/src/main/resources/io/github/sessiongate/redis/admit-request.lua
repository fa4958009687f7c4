-- Admits a request: the one round trip at request start (see admission.lua for the arguments and reply).
-- KEYS: 1 record, 2 leases
local now, nowms = clock()
return admit(KEYS[1], KEYS[2], named(), now, nowms)
