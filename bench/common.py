"""What the benchmarks share: options, the public price list, rolling their data back,
and how figures are printed."""

import statistics


def products_option(argv: list[str], default: int) -> int:
    """The value of `--products N` among a benchmark's options, or `default`."""
    if "--products" in argv:
        return int(argv[argv.index("--products") + 1])
    return default


def public_price_list():
    """The shop's one public list price list, created if the database has none."""
    from catalog.pricing.models import PriceList

    public = PriceList.objects.public_or_new()
    if public.pk is None:
        public.save()
    return public


class Rollback(Exception):
    """Raised inside `transaction.atomic()` to leave the database as it was."""


def percentiles(samples: list[float], *, decimals: int = 2) -> str:
    """ "p50 … ms   p95 … ms   (n=…)" of durations in seconds."""
    samples = sorted(samples)
    p50 = statistics.median(samples)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    width = 6 + decimals
    return (
        f"p50 {p50 * 1000:{width}.{decimals}f} ms   "
        f"p95 {p95 * 1000:{width}.{decimals}f} ms   (n={len(samples)})"
    )
