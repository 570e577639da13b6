-- An optional photo on the clinician's profile: a small JPEG made by Haven from the upload
-- (re-encoded, so camera and location data are gone), shown to patients choosing a clinician.
ALTER TABLE clinician_profiles ADD COLUMN photo BLOB;
