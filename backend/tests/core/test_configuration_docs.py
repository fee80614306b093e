"""docs/configuration.md lists every setting with its real default."""

from pathlib import Path

from veelocity.core.config import Settings

DOC = Path(__file__).resolve().parents[3] / "docs" / "configuration.md"


def test_every_setting_is_documented_with_its_default() -> None:
    text = DOC.read_text()
    for name, field in Settings.model_fields.items():
        row = next(
            (line for line in text.splitlines() if line.startswith(f"| `{name.upper()}` |")), None
        )
        assert row is not None, f"{name.upper()} is missing from docs/configuration.md"
        default = field.default if field.default_factory is None else field.default_factory()  # type: ignore[call-arg]
        default = getattr(default, "value", default)
        if isinstance(default, list):
            default = ",".join(str(item) for item in default) or "(empty)"
        if default is None:
            default = "(unset)"
        assert f"| `{default}` |" in row, (name, row)
