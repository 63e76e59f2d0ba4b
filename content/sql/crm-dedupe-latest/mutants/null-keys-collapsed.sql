SELECT id, email_key, full_name, source, updated_at
FROM (
    SELECT
        id,
        NULLIF(lower(btrim(email)), '') AS email_key,
        full_name,
        source,
        updated_at,
        ROW_NUMBER() OVER (
            PARTITION BY NULLIF(lower(btrim(email)), '')
            ORDER BY updated_at DESC, id DESC
        ) AS rn
    FROM contacts
) AS ranked
WHERE rn = 1
ORDER BY id;
