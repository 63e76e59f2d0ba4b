WITH totals AS (
    SELECT c.id, c.region, c.name AS customer_name, SUM(o.amount_cents) AS total_cents
    FROM orders AS o
    JOIN customers AS c ON c.id = o.customer_id
    WHERE o.status = 'completed'
      AND o.ordered_at >= '2024-01-01'
      AND o.ordered_at < '2025-01-01'
    GROUP BY c.id, c.region, c.name
),
ranked AS (
    SELECT
        region,
        customer_name,
        total_cents,
        RANK() OVER (PARTITION BY region ORDER BY total_cents DESC) AS region_rank
    FROM totals
),
top AS (
    SELECT * FROM ranked WHERE region_rank <= 3
)
SELECT
    region,
    customer_name,
    total_cents,
    region_rank,
    ROUND(100.0 * total_cents / SUM(total_cents) OVER (PARTITION BY region), 1) AS share_pct
FROM top
ORDER BY region, region_rank, customer_name;
