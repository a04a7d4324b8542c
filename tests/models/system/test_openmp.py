"""OpenMP threads wait passively in any process that races, unless the user chose a policy."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = ("import os, sys; import modelrace.models.trainers; "
         "print(os.environ.get('OMP_WAIT_POLICY'), 'sklearn' in sys.modules or 'xgboost' in sys.modules)")


@pytest.mark.parametrize("chosen", [None, "ACTIVE"])
def test_the_policy_is_set_before_any_library_loads_and_a_user_s_choice_is_kept(chosen: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if chosen:
        env["OMP_WAIT_POLICY"] = chosen
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    policy, loaded = done.stdout.split()
    assert policy == (chosen or "PASSIVE")
    assert loaded == "False", "the policy must be in place before OpenMP's runtime loads"
