"""The web layer: app wiring, middleware, authentication dependencies, templates and assets."""
