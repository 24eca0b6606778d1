"""Run every benchmark and print its figures: `python -m bench [name ...]`.

Benchmarks are modules in this package exposing `run(argv) -> None`; they build their
own data (PostgreSQL via DATABASE_URL is the target; SQLite works for a quick look).
"""

import importlib
import os
import pkgutil
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.dev")


def main(argv: list[str]) -> int:
    """`python -m bench [bench_x ...] [--option value ...]`: the options go to every
    benchmark named (or to all of them)."""
    django.setup()
    options = [a for a in argv if not a.startswith("bench_")]
    names = [a for a in argv if a.startswith("bench_")] or sorted(
        m.name
        for m in pkgutil.iter_modules([os.path.dirname(__file__)])
        if m.name.startswith("bench_")
    )
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}")
        module.run(options)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
