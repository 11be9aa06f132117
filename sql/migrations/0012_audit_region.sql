-- The region of the object an audit row records (a region code of any level, '' when the object
-- has none, e.g. an administrator's account). Auditors read only the rows of their region
-- (see audit_visible in src/audit/audit.h). Additive: older rows keep region ''.
ALTER TABLE audit_log ADD COLUMN region TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_region ON audit_log(region, id);
