-- Ends a request and saves its session's changes in one round trip (SessionGateRedisSessionRepository).
-- KEYS: 1 record, 2 leases, 3 moved pointer, 4 session data
-- ARGV: 1-5 as request-end.lua, 6... as save_data in session-data.lua
-- Returns the request-end reply (padded to two items), then 1 when the data was written, 0 when not
local now = clock()
local reply = request_end(KEYS[1], KEYS[2], KEYS[3], ARGV, now)
if reply[1] == 'moved' then
	-- the id changed under this request: the repository saves through the new id
	reply[3] = 0
	return reply
end
-- a 'gone' reply has one item: a nil second one would cut the array before the save's result
return { reply[1], reply[2] or '', save_data(KEYS[4], ARGV, 6) }
