"""Full-text index of published documents (Whoosh). No Flask imports here:
the portal calls this package, never the reverse, so the engine can be
swapped without touching the web app."""
