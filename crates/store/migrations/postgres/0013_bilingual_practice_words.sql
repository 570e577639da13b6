-- A practice's own words in Spanish beside the English: the name of a kind of visit and a
-- clinician's bio. Empty means "not translated yet": pages fall back to the English.
ALTER TABLE visit_types ADD COLUMN name_es TEXT NOT NULL DEFAULT '';
ALTER TABLE clinician_profiles ADD COLUMN bio_es TEXT NOT NULL DEFAULT '';
