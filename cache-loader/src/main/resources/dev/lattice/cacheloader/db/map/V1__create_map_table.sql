-- One map's table. Placeholders are validated identifiers and fixed type names (see TableSchema).
CREATE TABLE IF NOT EXISTS "${table}" (
    "${keyColumn}" ${keyType} PRIMARY KEY,
    "${valueColumn}" ${valueType} NOT NULL
);
