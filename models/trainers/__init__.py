"""The models a race can use: their specs, the registry, the trainers and their libraries."""

from modelrace.models.system.openmp import wait_passively

wait_passively()  # before any model's library loads the OpenMP runtime (see models.system.openmp)
