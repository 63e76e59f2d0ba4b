-- Every contact is already unique: all of them survive.
INSERT INTO contacts (id, email, full_name, source, updated_at) VALUES
    (100, 'kim@one.example', 'Kim Ode', 'web', '2024-03-01 10:00:00'),
    (101, 'lou@one.example', 'Lou Pak', 'sales', '2024-03-01 10:00:00'),
    (102, 'max@one.example', 'Max Ruiz', 'event', '2022-03-01 10:00:00'),
    (103, 'nia@two.example', 'Nia Sato', 'import', '2024-12-31 23:59:59');
