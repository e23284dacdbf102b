// These tests start real processes and a shared PostgreSQL on a two-core machine: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
