"""Product families of the demo catalog, with real-world article formats.

Each family yields `Spec`s: the same `key` across brands means the products are fully
interchangeable (an analogue group); `crossrefs` are standard designations and OEM
numbers buyers search by."""

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product


@dataclass(frozen=True)
class Spec:
    family: str
    category: str  # "Top > Sub"
    brand: str
    mpn: str  # manufacturer's part number
    article: str  # our article
    title: str
    key: tuple  # interchangeability key
    base_price: Decimal
    unit: str = "pcs"
    pack_size: int = 1
    min_order_qty: int = 1
    order_step: int = 1
    crossrefs: tuple = field(default=())  # (kind, number, brand)
    title_en: str = ""  # the English title (`Product.title_en`)


BRAND_COUNTRIES = {
    "SKF": "SE", "FAG": "DE", "NSK": "JP", "GPZ": "RU", "Würth": "DE", "Fischer": "DE",
    "Krepkomplekt": "RU", "IEK": "RU", "Schneider Electric": "FR", "ABB": "CH",
    "Festo": "DE", "SMC": "JP", "Camozzi": "IT", "Bosch": "DE", "Makita": "JP",
    "Ruko": "DE", "Zubr": "RU",
}  # fmt: skip

BEARING_SIZES = {
    # series: (bore, outer, width)
    "6000": (10, 26, 8), "6001": (12, 28, 8), "6002": (15, 32, 9), "6003": (17, 35, 10),
    "6004": (20, 42, 12), "6005": (25, 47, 12), "6006": (30, 55, 13), "6007": (35, 62, 14),
    "6008": (40, 68, 15), "6009": (45, 75, 16), "6010": (50, 80, 16),
    "6200": (10, 30, 9), "6201": (12, 32, 10), "6202": (15, 35, 11), "6203": (17, 40, 12),
    "6204": (20, 47, 14), "6205": (25, 52, 15), "6206": (30, 62, 16), "6207": (35, 72, 17),
    "6208": (40, 80, 18), "6209": (45, 85, 19), "6210": (50, 90, 20), "6211": (55, 100, 21),
    "6212": (60, 110, 22), "6300": (10, 35, 11), "6301": (12, 37, 12), "6302": (15, 42, 13),
    "6303": (17, 47, 14), "6304": (20, 52, 15), "6305": (25, 62, 17), "6306": (30, 72, 19),
    "6307": (35, 80, 21), "6308": (40, 90, 23), "6309": (45, 100, 25), "6310": (50, 110, 27),
}  # fmt: skip
# seal: (SKF suffix, FAG suffix, NSK suffix, GPZ/GOST prefix, Russian name)
BEARING_SEALS = {
    "2RS": ("-2RSH", "-2RSR", "DDU", "180", "с двумя резиновыми уплотнениями"),
    "ZZ": ("-2Z", "-2ZR", "ZZ", "80", "с двумя металлическими шайбами"),
    "OPEN": ("", "", "", "", "открытый"),
}
BEARING_SEALS_EN = {
    "2RS": "with two rubber seals",
    "ZZ": "with two metal shields",
    "OPEN": "open",
}
# Groups every demo has, however small: the bearing the search examples use
# ("6203", "bearing 6203" in English).
PINNED_KEYS = {("bearing", "6203", "2RS")}


def bearings():
    for series, seal, brand in product(
        BEARING_SIZES, BEARING_SEALS, ("SKF", "FAG", "NSK", "GPZ")
    ):
        d, big_d, b = BEARING_SIZES[series]
        skf, fag, nsk, gost_prefix, seal_ru = BEARING_SEALS[seal]
        gost = f"{gost_prefix}{series[1:]}" if gost_prefix else series[1:]
        mpn = {
            "SKF": series + skf,
            "FAG": series + fag,
            "NSK": series + nsk,
            "GPZ": gost,
        }[brand]
        suffix = "" if seal == "OPEN" else f"-{seal}"
        yield Spec(
            family="bearing",
            category="Подшипники > Шариковые радиальные",
            brand=brand,
            mpn=mpn,
            article=f"BRG-{series}{suffix}-{brand}",
            title=f"Подшипник {series}{suffix} {seal_ru}, {d}×{big_d}×{b} мм, {brand}",
            title_en=f"Deep groove ball bearing {series}{suffix} "
            f"{BEARING_SEALS_EN[seal]}, {d}×{big_d}×{b} mm, {brand}",
            key=("bearing", series, seal),
            base_price=Decimal(180 + d * 9 + b * 5)
            * (Decimal("1.6") if brand in {"SKF", "FAG"} else 1),
            crossrefs=(
                ("standard", f"{gost} ГОСТ 8338-75", "GOST"),
                (
                    "standard",
                    f"{series}{' ' + seal if seal != 'OPEN' else ''}",
                    "ISO 15",
                ),
            ),
        )


FASTENER_STANDARDS = {
    # standard: (Russian name, ISO equivalent, GOST equivalent)
    "DIN 933": (
        "Болт с шестигранной головкой, полная резьба",
        "ISO 4017",
        "ГОСТ 7798-70",
    ),
    "DIN 931": (
        "Болт с шестигранной головкой, неполная резьба",
        "ISO 4014",
        "ГОСТ 7798-70",
    ),
    "DIN 912": ("Винт с внутренним шестигранником", "ISO 4762", "ГОСТ 11738-84"),
    "DIN 7985": ("Винт с полукруглой головкой, крест", "ISO 7045", "ГОСТ 17473-80"),
    "DIN 965": ("Винт с потайной головкой, крест", "ISO 7046", "ГОСТ 17475-80"),
    "DIN 603": ("Болт мебельный с полукруглой головкой", "ISO 8677", "ГОСТ 7802-81"),
    "DIN 7991": (
        "Винт с потайной головкой и внутренним шестигранником",
        "ISO 10642",
        "ГОСТ 28963-91",
    ),
    "DIN 7380": (
        "Винт с полусферической головкой и внутренним шестигранником",
        "ISO 7380",
        "ГОСТ Р ИСО 7380",
    ),
    "DIN 6921": ("Болт с шестигранной головкой и фланцем", "ISO 4162", "ГОСТ Р 50273"),
    "DIN 571": ("Шуруп с шестигранной головкой", "ISO 1479", "ГОСТ 11473-75"),
    "DIN 7504": (
        "Саморез с буром, шестигранная головка",
        "ISO 15480",
        "ГОСТ Р ИСО 15480",
    ),
    "DIN 186": ("Болт с Т-образной головкой", "ISO 186", "ГОСТ 10343-80"),
}
FASTENER_NAMES_EN = {
    "DIN 933": "Hexagon head bolt, fully threaded",
    "DIN 931": "Hexagon head bolt, partially threaded",
    "DIN 912": "Hexagon socket head cap screw",
    "DIN 7985": "Pan head screw, cross recess",
    "DIN 965": "Countersunk screw, cross recess",
    "DIN 603": "Mushroom head square neck bolt",
    "DIN 7991": "Hexagon socket countersunk screw",
    "DIN 7380": "Hexagon socket button head screw",
    "DIN 6921": "Hexagon flange bolt",
    "DIN 571": "Hexagon head wood screw",
    "DIN 7504": "Self-drilling screw, hexagon head",
    "DIN 186": "T-head bolt",
}
FASTENER_DIAMETERS = [3, 4, 5, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 27, 30]
FASTENER_LENGTHS = [6, 8, 10, 12, 16, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80,
                    90, 100, 110, 120, 130, 140, 150, 160, 180, 200, 220, 240]  # fmt: skip
FASTENER_CLASSES = ["5.8", "8.8", "10.9", "A2", "A4"]
FASTENER_COATINGS = {
    "ZN": "оцинкованный",
    "BL": "без покрытия",
    "HDG": "горячего цинкования",
}
FASTENER_COATINGS_EN = {"ZN": "zinc plated", "BL": "plain", "HDG": "hot-dip galvanised"}


def fasteners():
    combos = product(
        FASTENER_STANDARDS, FASTENER_DIAMETERS, FASTENER_LENGTHS, FASTENER_CLASSES,
        FASTENER_COATINGS, ("Würth", "Fischer", "Krepkomplekt"),
    )  # fmt: skip
    for std, dia, length, cls, coat, brand in combos:
        if length < dia * 1.5 or length > dia * 16:
            continue
        if cls in {"A2", "A4"} and coat != "BL":
            continue  # stainless steel is not zinc plated
        name, iso, gost = FASTENER_STANDARDS[std]
        spec = f"M{dia}x{length}"
        code = std.replace(" ", "")
        coat_part = f"-{coat}" if cls not in {"A2", "A4"} else ""
        pack = 100 if dia <= 6 else 50 if dia <= 12 else 25
        brand_code = {"Würth": "WU", "Fischer": "FI", "Krepkomplekt": "KK"}[brand]
        yield Spec(
            family="fastener",
            category="Крепёж > Болты и винты",
            brand=brand,
            mpn=f"{brand_code}{code[3:]}{dia:02d}{length:03d}{cls.replace('.', '')}{coat if coat_part else ''}",
            article=f"{code}-{spec}-{cls}{coat_part}-{brand_code}",
            title=f"{name} {std} {spec} кл. {cls} {FASTENER_COATINGS[coat] if coat_part else 'нерж.'}, {brand}",
            title_en=f"{FASTENER_NAMES_EN[std]} {std} {spec} class {cls} "
            f"{FASTENER_COATINGS_EN[coat] if coat_part else 'stainless'}, {brand}",
            key=("fastener", std, dia, length, cls, coat if coat_part else ""),
            base_price=(Decimal(dia * dia * length) / 60 + Decimal(3)).quantize(
                Decimal("0.01")
            )
            * (Decimal(3) if cls in {"A2", "A4"} else 1),
            pack_size=pack,
            min_order_qty=pack,
            order_step=pack,
            crossrefs=(
                ("standard", f"{iso} {spec}", "ISO"),
                ("standard", f"Болт {spec}.{cls.replace('.', '')} {gost}", "GOST"),
            ),
        )


BREAKER_CURRENTS = [1, 2, 3, 4, 6, 10, 13, 16, 20, 25, 32, 40, 50, 63]


def breakers():
    for poles, current, curve, brand in product(
        (1, 2, 3, 4), BREAKER_CURRENTS, "BCD", ("IEK", "Schneider Electric", "ABB")
    ):
        if brand == "IEK":
            mpn = f"MVA20-{poles}-{current:03d}-{curve}"
            model = f"ВА47-29 {poles}P {current}А {curve}"
            model_en = f"VA47-29 {poles}P {current}A {curve}"
        elif brand == "Schneider Electric":
            mpn = f"A9F7{'4' if curve == 'C' else '3' if curve == 'B' else '5'}{poles}{current:02d}"
            model = f"iC60N {poles}P {current}А {curve}"
            model_en = f"iC60N {poles}P {current}A {curve}"
        else:
            mpn = f"2CDS25{poles}001R0{current:03d}{ {'B': '5', 'C': '4', 'D': '1'}[curve] }"
            model = model_en = f"S20{poles} {curve}{current}"
        yield Spec(
            family="breaker",
            category="Электротехника > Автоматические выключатели",
            brand=brand,
            mpn=mpn,
            article=mpn,
            title=f"Автоматический выключатель {model}, {brand}",
            title_en=f"Circuit breaker {model_en}, {brand}",
            key=("breaker", poles, current, curve),
            base_price=Decimal(150 + poles * 140 + current * 6)
            * (Decimal(3) if brand != "IEK" else 1),
            crossrefs=(("other", f"{poles}P {curve}{current}", "IEC 60898"),),
        )


CYLINDER_BORES = [8, 10, 12, 16, 20, 25, 32, 40, 50, 63]
CYLINDER_STROKES = [10, 25, 40, 50, 80, 100, 125, 160, 200, 250, 320, 400, 500]


def cylinders():
    for bore, stroke, brand in product(
        CYLINDER_BORES, CYLINDER_STROKES, ("Festo", "SMC", "Camozzi")
    ):
        if brand == "Festo":
            mpn = f"DSNU-{bore}-{stroke}-PPV-A"
        elif brand == "SMC":
            mpn = f"C85N{bore}-{stroke}"
        else:
            mpn = f"24N2A{bore:02d}A{stroke:04d}"
        yield Spec(
            family="cylinder",
            category="Пневматика > Пневмоцилиндры",
            brand=brand,
            mpn=mpn,
            article=mpn,
            title=f"Пневмоцилиндр ISO 6432 Ø{bore} ход {stroke} мм, {brand}",
            title_en=f"Pneumatic cylinder ISO 6432 Ø{bore}, stroke {stroke} mm, {brand}",
            key=("cylinder", bore, stroke),
            base_price=Decimal(2100 + bore * 60 + stroke * 4),
            crossrefs=(("standard", f"ISO 6432 {bore}x{stroke}", "ISO"),),
        )


DRILL_DIAMETERS = [Decimal(d) / 10 for d in range(10, 131, 1)]


def drills():
    for dia, brand in product(DRILL_DIAMETERS, ("Bosch", "Ruko", "Zubr")):
        code = {"Bosch": "2608585", "Ruko": "214", "Zubr": "4-29621"}[brand]
        mpn = (
            f"{code}-{dia:.1f}".replace(".", ",")
            if brand == "Zubr"
            else f"{code}{int(dia * 10):03d}"
        )
        yield Spec(
            family="drill",
            category="Инструмент > Свёрла по металлу",
            brand=brand,
            mpn=mpn,
            article=f"DRL-HSS-{dia:.1f}-{brand[:2].upper()}",
            title=f"Сверло по металлу HSS-G DIN 338 {dia:.1f} мм, {brand}",
            title_en=f"HSS-G metal drill bit DIN 338 {dia:.1f} mm, {brand}",
            key=("drill", str(dia)),
            base_price=(Decimal(40) + dia * dia * 3).quantize(Decimal("0.01")),
            pack_size=10,
            min_order_qty=10,
            order_step=10,
            crossrefs=(
                ("standard", f"DIN 338 {dia:.1f}", "DIN"),
                ("standard", f"ГОСТ 10902-77 {dia:.1f}", "GOST"),
            ),
        )


# The English names of the demo's categories (`Category.name_en`).
CATEGORY_NAMES_EN = {
    "Подшипники": "Bearings",
    "Шариковые радиальные": "Deep groove ball bearings",
    "Крепёж": "Fasteners",
    "Болты и винты": "Bolts and screws",
    "Электротехника": "Electrical",
    "Автоматические выключатели": "Circuit breakers",
    "Пневматика": "Pneumatics",
    "Пневмоцилиндры": "Pneumatic cylinders",
    "Инструмент": "Tools",
    "Свёрла по металлу": "Metal drill bits",
}

# share of the catalog per family (fasteners fill whatever is left)
FAMILIES = [
    (bearings, 0.10),
    (breakers, 0.10),
    (cylinders, 0.08),
    (drills, 0.07),
    (fasteners, 1.0),
]
