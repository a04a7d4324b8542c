"""The result document: its typed blocks, and reading and writing it as schema-checked JSON."""
