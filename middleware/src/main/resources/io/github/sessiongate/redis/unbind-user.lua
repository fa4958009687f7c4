-- Removes a session from a user's index. KEYS: 1 live, 2 ended; ARGV: 1 session id
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return { 1 }
