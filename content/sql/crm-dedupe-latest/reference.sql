WITH keyed AS (
    SELECT id, NULLIF(lower(btrim(email)), '') AS email_key, full_name, source, updated_at
    FROM contacts
),
survivors AS (
    SELECT DISTINCT ON (email_key) id, email_key, full_name, source, updated_at
    FROM keyed
    WHERE email_key IS NOT NULL
    ORDER BY email_key, updated_at DESC, id DESC
)
SELECT id, email_key, full_name, source, updated_at FROM survivors
UNION ALL
SELECT id, email_key, full_name, source, updated_at FROM keyed WHERE email_key IS NULL
ORDER BY id;
