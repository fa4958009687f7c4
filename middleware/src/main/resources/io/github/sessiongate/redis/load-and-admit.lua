-- Loads a session's data and admits its request in one round trip (SessionGateRedisSessionRepository).
-- KEYS: 1 record, 2 leases, 3 session data
-- A: as admission.lua, without created and idle: they come from the session data
-- Reply: kind nodata when there is no live session data, else the admission's reply and data (fields
-- and values)
local now, nowms = clock()
local h = load_data(KEYS[3], nowms)
if not h then
	return { 'kind', 'nodata' }
end
local A = named()
local max = 0
for i = 1, #h, 2 do
	if h[i] == 'creationTime' then
		A.created = tonumber(h[i + 1]) * 1000
	elseif h[i] == 'maxInactiveInterval' then
		max = tonumber(h[i + 1])
	end
end
A.idle = max * 1000
return append(admit(KEYS[1], KEYS[2], A, now, nowms), { 'data', h })
