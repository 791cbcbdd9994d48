-- Each version's sorted content hashes are stored beside its splits (<split>.hashes, events' ContentHashes), so that
-- readers count new and dropped examples by content without the data. Null for versions stored before.
ALTER TABLE dataset_version ADD COLUMN train_hashes_sha256 char(64);
ALTER TABLE dataset_version ADD COLUMN validation_hashes_sha256 char(64);
