-- Ends a request: the one round trip at request end (see request-end.lua).
-- KEYS: 1 record, 2 leases, 3 moved pointer
local now = clock()
return request_end(KEYS[1], KEYS[2], KEYS[3], named(), now)
