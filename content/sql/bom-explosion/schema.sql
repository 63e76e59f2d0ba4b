CREATE TABLE parts (
    id INTEGER PRIMARY KEY,
    sku TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    unit_cost_cents INTEGER NOT NULL CHECK (unit_cost_cents >= 0)
);

-- One line per (assembly, component): building one unit of the assembly takes `quantity`
-- units of the component. The graph has no cycles.
CREATE TABLE bom_lines (
    assembly_id INTEGER NOT NULL REFERENCES parts (id),
    component_id INTEGER NOT NULL REFERENCES parts (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (assembly_id, component_id)
);

CREATE TABLE build_plan (
    part_id INTEGER PRIMARY KEY REFERENCES parts (id),
    units INTEGER NOT NULL CHECK (units > 0)
);
