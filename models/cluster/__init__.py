"""Race grids (seeds × sizes) on Dask: the only part of modelrace that imports ``dask`` or ``distributed``, lazily."""
