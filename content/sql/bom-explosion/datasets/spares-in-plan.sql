-- Raw parts planned on their own as spares (depth 0), a raw part needed both as a spare and
-- inside an assembly, two planned assemblies sharing components, and a part nobody needs.
INSERT INTO parts (id, sku, name, unit_cost_cents) VALUES
    (1, 'KETTLE', 'Kettle', 0),
    (2, 'TOASTER', 'Toaster', 0),
    (3, 'HEATER-U', 'Heating unit', 0),
    (10, 'ELEMENT', 'Heating element', 800),
    (11, 'CORD-EU', 'Power cord EU', 350),
    (12, 'SWITCH', 'Switch', 120),
    (13, 'LID', 'Kettle lid', 200),
    (14, 'SLOT-GUARD', 'Slot guard', 90),
    (15, 'UNUSED', 'Obsolete knob', 50);

INSERT INTO bom_lines (assembly_id, component_id, quantity) VALUES
    (1, 3, 1),
    (1, 13, 1),
    (2, 3, 2),
    (2, 14, 2),
    (3, 10, 1),
    (3, 12, 1),
    (1, 11, 1),
    (2, 11, 1);

INSERT INTO build_plan (part_id, units) VALUES
    (1, 10),
    (2, 3),
    (11, 25),
    (12, 4);
