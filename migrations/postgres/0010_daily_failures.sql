-- A daily post Discord refused (issue 20), postgres flavour; same columns in
-- migrations/sqlite/0010_daily_failures.sql.
--
-- The channel keeps its last failure until a post goes through, so that
-- /daily show and the admin who set it up hear of it. A channel Discord
-- refused (403) or that is gone (404) is paused until /daily set runs
-- again; a post that failed for a transient reason is tried again the
-- same day (its claim's retry_at), never twice: before trying again the
-- poster looks for its earlier post in the channel.
ALTER TABLE daily_channels ADD COLUMN set_by TEXT;                  -- who last ran /daily set (NULL before this)
ALTER TABLE daily_channels ADD COLUMN failure_kind TEXT;            -- 'missing', 'gone', 'transient'; NULL: the last post went through
ALTER TABLE daily_channels ADD COLUMN failure_detail BIGINT;          -- missing: the permission bits; transient: the HTTP status (0: no answer)
ALTER TABLE daily_channels ADD COLUMN failed_at BIGINT;
ALTER TABLE daily_channels ADD COLUMN paused BIGINT NOT NULL DEFAULT 0;       -- 1: no post until /daily set again
ALTER TABLE daily_channels ADD COLUMN failure_told BIGINT NOT NULL DEFAULT 0; -- 1 once set_by was told

ALTER TABLE daily_posts ADD COLUMN attempts BIGINT NOT NULL DEFAULT 1;  -- posts tried for this claim
ALTER TABLE daily_posts ADD COLUMN retry_at BIGINT;                        -- unposted: when it may be tried again
