-- Corrections found from the answer they amend (issue 14), postgres flavour;
-- same change in migrations/sqlite/0008_review_amends_index.sql.
--
-- The figures a student sees (/stats, /forget-me, the export) count each
-- answer once, with the rating of its latest correction if it has one:
-- this index finds an answer's corrections without scanning the log.
-- (0007 is another branch's.)
CREATE INDEX reviews_amends ON reviews (amends) WHERE amends IS NOT NULL;
