-- 300 parts (100 of them raw) in a deep, shared, acyclic structure; 12 planned assemblies.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
INSERT INTO parts (id, sku, name, unit_cost_cents)
SELECT i, printf('P-%04d', i), printf('Part %d', i), CASE WHEN i > 200 THEN 10 + (i * 37) % 990 ELSE 0 END
FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200),
k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 2)
INSERT OR IGNORE INTO bom_lines (assembly_id, component_id, quantity)
SELECT i, MIN(300, i + 12 + (i * 7 + j * 13) % 50), 1 + (i + j) % 3
FROM n, k;

-- Every assembly also takes a few fasteners directly (raw parts 201..210).
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
INSERT OR IGNORE INTO bom_lines (assembly_id, component_id, quantity)
SELECT i, 201 + i % 10, 2 FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)
INSERT INTO build_plan (part_id, units)
SELECT DISTINCT 1 + (i * 11) % 60, 1 + i % 4 FROM n;
