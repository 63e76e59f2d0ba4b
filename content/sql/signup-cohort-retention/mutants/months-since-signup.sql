WITH cohort_members AS (
    SELECT id AS user_id, signed_up_at, date_trunc('month', signed_up_at)::date AS cohort_month
    FROM users
),
cohorts AS (
    SELECT cohort_month, count(*) AS cohort_size
    FROM cohort_members
    GROUP BY cohort_month
),
activity AS (
    SELECT DISTINCT
        m.cohort_month,
        m.user_id,
        (extract(year FROM age(e.occurred_at, m.signed_up_at)) * 12
         + extract(month FROM age(e.occurred_at, m.signed_up_at)))::int
            AS month_offset
    FROM cohort_members AS m
    JOIN events AS e ON e.user_id = m.user_id
    WHERE e.kind <> 'email_open'
      AND e.occurred_at >= m.signed_up_at
)
SELECT
    c.cohort_month,
    c.cohort_size,
    k.month_offset,
    count(a.user_id) AS active_users,
    round(100.0 * count(a.user_id) / c.cohort_size, 1) AS retention_pct
FROM cohorts AS c
CROSS JOIN generate_series(0, 3) AS k (month_offset)
LEFT JOIN activity AS a ON a.cohort_month = c.cohort_month AND a.month_offset = k.month_offset
GROUP BY c.cohort_month, c.cohort_size, k.month_offset
ORDER BY c.cohort_month, k.month_offset;
