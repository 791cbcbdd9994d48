-- stack_on (registry-service/README.md, "Stacked adapters"): the registered versions a version was trained on top
-- of, frozen, bottom first (JobSucceeded.Lineage.stackedOn), as [{"adapter": "...", "version": N}]; it is served as
-- that stack with itself on top. An archive is refused while a ready version stacks on the version.
ALTER TABLE version_lineage ADD COLUMN stacked_on jsonb;
CREATE INDEX version_lineage_stacked_on ON version_lineage USING gin (stacked_on jsonb_path_ops);
