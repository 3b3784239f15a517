"""The pytest plugin imports nothing of budapest56 when pytest loads it.

pytest imports entry-point plugins before pytest-cov starts measuring; a module the plugin
imported then would have its definitions counted as never run, and `pytest --cov=budapest56`
would report less than the suite covers.
"""
import json
import subprocess
import sys

PACKAGES = {"budapest56", "budapest56.testing"}  # the plugin's own package and its parent
PLUGIN = "budapest56.testing.pytest_plugin"


def modules_after_importing(name: str) -> list[str]:
    code = (f"import json, sys; import {name}; "
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'budapest56')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_importing_the_plugin_imports_only_package_inits_and_the_plugin():
    assert modules_after_importing(PLUGIN) == sorted(PACKAGES | {PLUGIN})

