-- Entries the database kept rejecting, parked so they stop blocking their write-behind queue.
CREATE TABLE IF NOT EXISTS lattice_dead_letter (
    id          bigserial   PRIMARY KEY,
    map_name    text        NOT NULL,
    entry_key   text        NOT NULL,
    entry_value text,
    error       text        NOT NULL,
    attempts    integer     NOT NULL,
    failed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS lattice_dead_letter_map_idx ON lattice_dead_letter (map_name, id);
