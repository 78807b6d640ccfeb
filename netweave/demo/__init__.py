"""The demo networks (`netweave demo`) and synthetic networks of any size (`netweave generate`).

- `data`: the word pools (fictional organizations, names, trilingual topics and sentences);
- `profiles`: a believable member profile from those pools, deterministic for a random state;
- `plan`: everything the demo contains, worked out before touching the database;
- `load`: the registry of demo steps (one per app) and the core step that writes the plan;
- `generate`: bulk generation for benchmarks and trying the directory at scale."""
