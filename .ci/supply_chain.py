"""Supply chain checks for `make test`: bandit over our code, pip-audit over the lock file.

pip-audit asks an advisory service (PyPI's) about every pinned package. Where that service cannot
be reached (a closed network, or a mirror that does not serve advisories), it says so plainly and
does not fail the run on that alone; a known vulnerability always fails it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def bandit() -> bool:
    command = [str(BIN / "bandit"), "-q", "-c", "pyproject.toml", "-r", "app"]
    result = subprocess.run(command, cwd=ROOT)
    print("bandit: clean" if result.returncode == 0 else "bandit: findings above")
    return result.returncode == 0


def pip_audit() -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "audit.json"
        command = [str(BIN / "pip-audit"), "--progress-spinner", "off", "--no-deps"]
        command += ["--disable-pip", "-r", "requirements.lock", "-f", "json", "-o", str(report)]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
        if not report.exists():
            print(f"pip-audit: could not run or reach its advisory service:\n{result.stderr}")
            return True
        dependencies = json.loads(report.read_text())["dependencies"]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    unchecked = [d["name"] for d in dependencies if "skip_reason" in d]
    for dep in vulnerable:
        ids = ", ".join(v["id"] for v in dep["vulns"])
        print(f"pip-audit: {dep['name']} {dep['version']} has known vulnerabilities: {ids}")
    checked = len(dependencies) - len(unchecked)
    if unchecked and checked == 0:
        print(
            f"pip-audit: SKIPPED: the advisory service could not be reached; none of the "
            f"{len(dependencies)} locked packages could be checked (not failing on that alone)"
        )
    elif unchecked:
        print(f"pip-audit: {len(unchecked)} packages could not be checked: {', '.join(unchecked)}")
    if checked:
        print(f"pip-audit: {checked} locked packages checked, {len(vulnerable)} vulnerable")
    return not vulnerable


if __name__ == "__main__":
    ok = bandit()
    ok = pip_audit() and ok
    sys.exit(0 if ok else 1)
