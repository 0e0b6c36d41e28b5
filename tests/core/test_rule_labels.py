"""Every machine code inside a rule value of rulebook.yaml has a Vietnamese label in ``VALUE_LABELS``.

Plain file checks: no database. A code is a string value, or a mapping key, anywhere inside an entry's
``value`` that looks like an identifier; ``numerator``/``denominator`` keys are skipped (fractions are
formatted elsewhere). Vietnamese text, form codes ("2-KNĐ"), abbreviations ("NQ", "A4"), dates ("02-03"),
dotted rule keys ("dues.rate.pensioner") and format strings never match the identifier pattern.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from dangvu.core.rule_labels import VALUE_LABELS

RULEBOOK = Path(__file__).resolve().parents[2] / "src/dangvu/core/rulebook.yaml"
CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
SKIPPED_KEYS = {"numerator", "denominator"}
ICELANDIC_ETH = "\u00d0"  # "Ð", looks like the Vietnamese "Đ" (U+0110)


def is_code(text: object) -> bool:
    return isinstance(text, str) and bool(CODE_RE.match(text))


def collect_codes(value: object, codes: set[str]) -> set[str]:
    """Add to ``codes`` the identifier-like strings and mapping keys found anywhere in ``value``."""
    if isinstance(value, dict):
        for key, item in value.items():
            if is_code(key) and key not in SKIPPED_KEYS:
                codes.add(key)
            collect_codes(item, codes)
    elif isinstance(value, list):
        for item in value:
            collect_codes(item, codes)
    elif is_code(value):
        codes.add(value)
    return codes


def rulebook_codes() -> set[str]:
    with RULEBOOK.open(encoding="utf-8") as handle:
        entries = yaml.safe_load(handle)
    codes: set[str] = set()
    for entry in entries:
        collect_codes(entry.get("value"), codes)
    return codes


def test_collector_finds_values_and_keys_but_skips_other_strings():
    value = {
        "min_years": 30,
        "numerator": 1,
        "forms": ["2-KNĐ", "NQ", "A4", "02-03", "dues.rate.pensioner", "{number}-{type}", "Chi bộ"],
        "kinds": [{"upper": ["branch"]}],
    }
    assert collect_codes(value, set()) == {"min_years", "forms", "kinds", "upper", "branch"}


def test_every_rulebook_code_has_a_label():
    codes = rulebook_codes()
    assert codes, "no codes found in rulebook.yaml: is the collector broken?"
    missing = sorted(
        code for code in codes if not VALUE_LABELS.get(code, "").strip() or VALUE_LABELS[code] == code
    )
    assert not missing, f"codes without a Vietnamese label in VALUE_LABELS: {', '.join(missing)}"


def test_no_label_uses_the_icelandic_eth():
    wrong = sorted(code for code, label in VALUE_LABELS.items() if ICELANDIC_ETH in label)
    assert not wrong, f"labels with U+00D0 instead of U+0110: {', '.join(wrong)}"
