-- Ends a request and saves its session's changes in one round trip (SessionGateRedisSessionRepository).
-- KEYS: 1 record, 2 leases, 3 moved pointer, 4 session data
-- A: as request-end.lua and save_data in session-data.lua; the list: as save_data's
-- Reply: the request end's, and saved (1 when the data was written)
local now = clock()
local A, list = named()
local reply = request_end(KEYS[1], KEYS[2], KEYS[3], A, now)
if reply[2] == 'moved' then
	-- the id changed under this request: the repository saves through the new id
	return append(reply, { 'saved', 0 })
end
return append(reply, { 'saved', save_data(KEYS[4], A, list) })
