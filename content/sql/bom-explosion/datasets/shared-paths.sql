-- The same component reached through two sub-assemblies with identical quantities at the same
-- depth (the contributions must add up, not collapse), and a five-level chain.
INSERT INTO parts (id, sku, name, unit_cost_cents) VALUES
    (1, 'CAB-RACK', 'Server rack', 0),
    (2, 'SHELF-L', 'Shelf, left', 0),
    (3, 'SHELF-R', 'Shelf, right', 0),
    (4, 'L1', 'Level 1', 0),
    (5, 'L2', 'Level 2', 0),
    (6, 'L3', 'Level 3', 0),
    (7, 'L4', 'Level 4', 0),
    (20, 'SCREW-M4', 'Screw M4', 5),
    (21, 'RAIL', 'Rail', 900),
    (22, 'CHIP', 'Chip', 12000);

INSERT INTO bom_lines (assembly_id, component_id, quantity) VALUES
    (1, 2, 1),
    (1, 3, 1),
    (2, 20, 4),
    (3, 20, 4),
    (2, 21, 1),
    (3, 21, 1),
    (1, 20, 8),
    (1, 4, 1),
    (4, 5, 2),
    (5, 6, 2),
    (6, 7, 2),
    (7, 22, 3),
    (7, 20, 1);

INSERT INTO build_plan (part_id, units) VALUES
    (1, 2);
