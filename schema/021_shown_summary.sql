-- 021_shown_summary.sql: the summary the customer was shown.
--
-- A technician's device shows the customer a summary of the work before
-- they sign, and sends it with the sign-off (proto SignOff.summary): the
-- exact JSON text, at most 16 KiB, with its BLAKE2b-256 hash.  It is kept
-- beside the summary the server writes itself (summary), with whether the
-- total the customer saw is the server's charges (summary_agrees: 1 or
-- 0).  A sign-off recorded without one (staff, older devices) has none of
-- the three.
ALTER TABLE sign_offs ADD COLUMN shown_summary TEXT
    CHECK (shown_summary IS NULL OR (json_valid(shown_summary)
           AND length(CAST(shown_summary AS BLOB)) <= 16384));
ALTER TABLE sign_offs ADD COLUMN shown_summary_hash BLOB
    CHECK ((shown_summary_hash IS NULL) = (shown_summary IS NULL)
           AND (shown_summary_hash IS NULL OR length(shown_summary_hash) = 32));
ALTER TABLE sign_offs ADD COLUMN summary_agrees INTEGER
    CHECK ((summary_agrees IS NULL) = (shown_summary IS NULL)
           AND (summary_agrees IS NULL OR summary_agrees IN (0, 1)));
