-- How many versions the API shows (READY or DELETED: a version counts from the moment it is ready), kept on the
-- dataset row by the transaction that makes a version ready, so that reading a dataset does not count its versions.
ALTER TABLE dataset ADD COLUMN visible_versions integer NOT NULL DEFAULT 0;
UPDATE dataset d SET visible_versions = (SELECT count(*) FROM dataset_version v
                                         WHERE v.dataset_id = d.id AND v.status IN ('READY', 'DELETED'));
