"""National statistics and benchmarking (DESIGN §8): NHS England's published files read as published, the
national KPI catalogue, every organisation's values as peer reference data, and the trust's standing among
its peers."""
