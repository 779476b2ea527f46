"""Scale: reads a stream of Documents and a Dask cluster, writes the same store a serial ingest
writes (extraction on the workers; storing and the deterministic merge in the driver)."""
from observatory.scale.cluster import connect, ingest_on_cluster, prepare

__all__ = ["connect", "ingest_on_cluster", "prepare"]
