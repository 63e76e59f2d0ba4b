WITH RECURSIVE exploded (part_id, quantity, depth) AS (
    SELECT part_id, units, 0
    FROM build_plan
    UNION ALL
    SELECT b.component_id, e.quantity * b.quantity, e.depth + 1
    FROM exploded AS e
    JOIN bom_lines AS b ON b.assembly_id = e.part_id
)
SELECT
    p.sku,
    p.name,
    SUM(e.quantity) AS quantity,
    MAX(e.depth) AS max_depth,
    SUM(e.quantity) * p.unit_cost_cents AS cost_cents
FROM exploded AS e
JOIN parts AS p ON p.id = e.part_id
GROUP BY p.id, p.sku, p.name, p.unit_cost_cents
ORDER BY p.sku;
