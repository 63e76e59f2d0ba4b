WITH cohort_members AS (
    SELECT id AS user_id, signed_up_at, date_trunc('month', signed_up_at)::date AS cohort_month
    FROM users
),
cohorts AS (
    SELECT cohort_month, count(*) AS cohort_size
    FROM cohort_members
    GROUP BY cohort_month
)
SELECT
    c.cohort_month,
    c.cohort_size,
    (extract(year FROM age(date_trunc('month', e.occurred_at), m.cohort_month)) * 12
     + extract(month FROM age(date_trunc('month', e.occurred_at), m.cohort_month)))::int
        AS month_offset,
    count(DISTINCT e.user_id) AS active_users,
    round(100.0 * count(DISTINCT e.user_id) / c.cohort_size, 1) AS retention_pct
FROM cohorts AS c
JOIN cohort_members AS m ON m.cohort_month = c.cohort_month
JOIN events AS e ON e.user_id = m.user_id
WHERE e.kind <> 'email_open'
  AND e.occurred_at >= m.signed_up_at
  AND e.occurred_at < m.cohort_month + interval '4 months'
GROUP BY c.cohort_month, c.cohort_size, 3
ORDER BY c.cohort_month, month_offset;
