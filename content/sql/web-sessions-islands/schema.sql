CREATE TABLE page_views (
    id INTEGER PRIMARY KEY,
    user_id INTEGER,                 -- NULL for visitors who are not signed in
    viewed_at TEXT NOT NULL,         -- 'YYYY-MM-DD HH:MM:SS', UTC, whole seconds
    path TEXT NOT NULL
);

CREATE INDEX page_views_user_time_idx ON page_views (user_id, viewed_at);
