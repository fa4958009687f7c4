-- Reads a session's index entries, for a session id change that moves it to another shard.
-- KEYS: 1 live index, 2 history; ARGV: 1 member, 2 session id
-- Returns {live score or '', history score or ''}
return { redis.call('ZSCORE', KEYS[1], ARGV[1]) or '', redis.call('ZSCORE', KEYS[2], ARGV[2]) or '' }
