-- Undo per coder on a team server: each undo-stack entry remembers its coder and what the
-- command touched (a `Footprint` as JSON), so that a coder undoes only her own commands and
-- an undo that a later command of someone else depends on is refused.
ALTER TABLE undo_stack ADD COLUMN coder TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE undo_stack ADD COLUMN touched TEXT COLLATE "C" NOT NULL DEFAULT '';
