-- Lists sessions whose sweep check is due. KEYS: 1 live index; ARGV: 1 most to return
local _, nowms = clock()
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', fmt(nowms), 'LIMIT', 0, tonumber(ARGV[1]))
