WITH flagged AS (
    SELECT
        id,
        user_id,
        viewed_at,
        path,
        CASE
            WHEN unixepoch(viewed_at) - unixepoch(LAG(viewed_at) OVER w) <= 1800 THEN 0
            ELSE 1  -- the user's first view (LAG is NULL) or a gap of more than 30 minutes
        END AS starts_session
    FROM page_views
    WINDOW w AS (PARTITION BY user_id ORDER BY viewed_at, id)
),
numbered AS (
    SELECT
        *,
        SUM(starts_session) OVER (
            PARTITION BY user_id ORDER BY viewed_at, id ROWS UNBOUNDED PRECEDING
        ) AS session_no
    FROM flagged
),
sessions AS (
    SELECT
        *,
        FIRST_VALUE(path) OVER (
            PARTITION BY user_id, session_no ORDER BY viewed_at, id
        ) AS landing_path
    FROM numbered
)
SELECT
    user_id,
    session_no,
    MIN(viewed_at) AS started_at,
    MAX(viewed_at) AS ended_at,
    COUNT(*) AS page_views,
    unixepoch(MAX(viewed_at)) - unixepoch(MIN(viewed_at)) AS duration_seconds,
    landing_path
FROM sessions
GROUP BY user_id, session_no, landing_path
ORDER BY user_id, session_no;
