import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


class ProductionSettingsTests:
    def _check(self, **env: str) -> subprocess.CompletedProcess[str]:
        leave_out = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
        environment = {k: v for k, v in os.environ.items() if k not in leave_out}
        environment.update(DJANGO_SETTINGS_MODULE="config.settings.production", **env)
        return subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    def test_production_settings_pass_the_deploy_check(self, tmp_path):
        result = self._check(
            SECRET_KEY="x" * 20 + "-a-long-random-production-secret-key-0123456789",
            ALLOWED_HOSTS="netweave.example.org",
            NETWEAVE_DATA_DIR=str(tmp_path),
        )
        assert result.returncode == 0, result.stdout + result.stderr

    def test_production_refuses_to_start_without_a_secret_key(self, tmp_path):
        result = self._check(SECRET_KEY="", NETWEAVE_DATA_DIR=str(tmp_path))
        assert result.returncode != 0
        assert "Set SECRET_KEY" in result.stderr
