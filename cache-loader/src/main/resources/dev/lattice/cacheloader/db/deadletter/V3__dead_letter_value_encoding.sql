-- How entry_value and entry_key hold their text: 'text' as is, 'base64' for values a text
-- column can not hold (a NUL character, invalid UTF-8), so one such entry never blocks its map.
ALTER TABLE lattice_dead_letter ADD COLUMN IF NOT EXISTS value_encoding text NOT NULL DEFAULT 'text';
ALTER TABLE lattice_dead_letter ADD COLUMN IF NOT EXISTS key_encoding text NOT NULL DEFAULT 'text';
