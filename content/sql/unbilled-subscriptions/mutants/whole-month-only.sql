SELECT
    s.id AS subscription_id,
    c.name AS customer_name,
    s.plan,
    s.monthly_cents
FROM subscriptions AS s
JOIN customers AS c ON c.id = s.customer_id
WHERE s.started_on <= '2024-05-01'
  AND (s.ended_on IS NULL OR s.ended_on >= '2024-05-31')
  AND NOT EXISTS (
      SELECT 1
      FROM invoices AS i
      WHERE i.subscription_id = s.id
        AND i.period = '2024-05'
        AND i.status IN ('open', 'paid')
  )
ORDER BY customer_name, subscription_id;
