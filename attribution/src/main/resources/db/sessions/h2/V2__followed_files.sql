-- How far each followed FreeRADIUS detail file has been imported, so that a restart resumes there
-- instead of reading every file again (re-reading would be harmless, records merge idempotently, but slow).
CREATE TABLE trapline_followed_file (
    path       VARCHAR(4096) PRIMARY KEY,
    byteoffset BIGINT NOT NULL,
    linenumber BIGINT NOT NULL
);
