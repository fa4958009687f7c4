-- Loads a session's data and admits its request in one round trip (SessionGateRedisSessionRepository).
-- KEYS: 1 record, 2 leases, 3 session data
-- ARGV: as admit.lua, without 2 and 3: the creation time and idle timeout come from the data
-- Returns {'nodata'} when there is no live session data, else {n, admission reply (n items),
-- data fields and values...}
local now, nowms = clock()
local h = load_data(KEYS[3], nowms)
if not h then
	return { 'nodata' }
end
local A = {}
for i = 1, #ARGV do
	A[i] = ARGV[i]
end
local max = 0
for i = 1, #h, 2 do
	if h[i] == 'creationTime' then
		A[2] = fmt(tonumber(h[i + 1]) * 1000)
	elseif h[i] == 'maxInactiveInterval' then
		max = tonumber(h[i + 1])
	end
end
A[3] = fmt(max * 1000)
local reply = admit(KEYS[1], KEYS[2], A, now, nowms)
local out = { #reply }
prepend(out, reply)
return prepend(out, h)
