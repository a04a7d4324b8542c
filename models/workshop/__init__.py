"""Offline workshops: packing a kit while online, and checking a student machine before class."""
