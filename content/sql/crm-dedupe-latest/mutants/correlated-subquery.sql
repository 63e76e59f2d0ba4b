WITH keyed AS (
    SELECT id, NULLIF(lower(btrim(email)), '') AS email_key, full_name, source, updated_at
    FROM contacts
)
SELECT id, email_key, full_name, source, updated_at
FROM keyed AS k
WHERE k.email_key IS NULL
   OR k.id = (
        SELECT k2.id
        FROM keyed AS k2
        WHERE k2.email_key = k.email_key
        ORDER BY k2.updated_at DESC, k2.id DESC
        LIMIT 1
   )
ORDER BY id;
