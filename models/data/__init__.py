"""Datasets: Covertype facts, the bundled rows, importing files, the cache, kit files, the download, the split."""
