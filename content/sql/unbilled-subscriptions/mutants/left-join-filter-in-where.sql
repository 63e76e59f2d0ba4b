SELECT
    s.id AS subscription_id,
    c.name AS customer_name,
    s.plan,
    s.monthly_cents
FROM subscriptions AS s
JOIN customers AS c ON c.id = s.customer_id
LEFT JOIN invoices AS i ON i.subscription_id = s.id
WHERE s.started_on <= '2024-05-31'
  AND (s.ended_on IS NULL OR s.ended_on >= '2024-05-01')
  AND (i.id IS NULL OR i.period <> '2024-05' OR i.status NOT IN ('open', 'paid'))
ORDER BY customer_name, subscription_id;
