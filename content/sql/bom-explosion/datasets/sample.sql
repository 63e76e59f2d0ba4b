INSERT INTO parts (id, sku, name, unit_cost_cents) VALUES
    (1, 'BIKE-CITY', 'City bike', 0),
    (2, 'FRAME-A', 'Frame, welded', 0),
    (3, 'WHEEL-28', 'Wheel 28"', 0),
    (4, 'HUB-F', 'Front hub', 0),
    (10, 'TUBE-AL', 'Aluminium tube', 1200),
    (11, 'BOLT-M5', 'Bolt M5', 15),
    (12, 'SPOKE-2', 'Spoke 2 mm', 30),
    (13, 'RIM-28', 'Rim 28"', 2500),
    (14, 'AXLE-9', 'Axle 9 mm', 400);

INSERT INTO bom_lines (assembly_id, component_id, quantity) VALUES
    (1, 2, 1),
    (1, 3, 2),
    (2, 10, 3),
    (2, 11, 4),
    (3, 4, 1),
    (3, 12, 32),
    (3, 13, 1),
    (4, 14, 1),
    (4, 11, 2);

INSERT INTO build_plan (part_id, units) VALUES
    (1, 5);
