"""Use cases. Each opens one unit of work, calls the engine, persists the effects, commits once."""
