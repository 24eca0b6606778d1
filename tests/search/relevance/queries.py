"""The relevance set: what buyers type and what they expect at the top.

A query is `(text, first, top)`: `first` the articles any of which is a right first
result (empty: no claim on the first), `top` the articles that must all be among the
first `K` results (recall@K counts the share of them found). Part numbers are the
manufacturers' own, GOST equivalents as ГОСТ 3189-89 writes them."""

from catalog.articles import article_normalize
from tests.search.relevance.catalog import BALL_BASES, products

K = 5


def titled(*words: str) -> tuple[str, ...]:
    """The articles of the products whose title holds every one of these words."""
    return tuple(
        p["article"]
        for p in products()
        if all(w.lower() in p["title"].lower() for w in words)
    )


def numbered(prefix: str) -> tuple[str, ...]:
    """The articles of the products whose own number (article or manufacturer's)
    begins with this number, normalised."""
    key = article_normalize(prefix)
    return tuple(
        p["article"]
        for p in products()
        if article_normalize(p["article"]).startswith(key)
        or article_normalize(p.get("manufacturer_article")).startswith(key)
    )


def _ball_bearing_queries() -> list[tuple]:
    queries = []
    for base in BALL_BASES:
        gost = base[1:]
        skf, fag, gpz = f"SKF-{base}-2RSH", f"FAG-{base}-2ZR", f"GPZ-180{gost}"
        queries += [
            (f"{base}-2RSH", (skf,), (skf,)),  # the manufacturer's number
            (f"180{gost}", (gpz,), (gpz, skf)),  # ГПЗ's number, SKF's GOST ref
            (f"80{gost}", (fag,), (fag,)),  # a GOST designation as a cross-reference
            (f"{base}ZZ", (fag,), (fag,)),  # NSK's suffix of FAG's bearing
            (f"{base}-2RS", (gpz, skf), (gpz, skf)),  # without SKF's last letter
            # The base designation, without the seal suffix: every make of it, the
            # products' own numbers first.
            (base, numbered(base), (skf, fag, gpz)),
        ]
    return queries


HANDWRITTEN = [
    # Bearings: numbers of other makes, suffixes, series.
    ("6205 2RS1", ("NTN-6205LLU",), ("NTN-6205LLU",)),
    ("6205LLU", ("SKF-6205-2RSH", "NTN-6205LLU"), ("SKF-6205-2RSH", "NTN-6205LLU")),
    ("6204-2RSH/C3", ("NSK-6204DDU",), ("NSK-6204DDU",)),
    ("6205-2RSH C3", ("SKF-6205-C3",), ("SKF-6205-C3",)),
    ("3180205", ("SKF-6205-C3",), ("SKF-6205-C3",)),
    ("30205", ("SKF-30205",), ("SKF-30205",)),
    ("7205", ("SKF-30205", "SKF-7205"), ("SKF-30205", "SKF-7205")),
    ("4T-30205", ("SKF-30205",), ("SKF-30205",)),
    ("30206 J2/Q", ("NTN-30206",), ("NTN-30206",)),
    ("4T-30206", ("NTN-30206",), ("NTN-30206",)),
    ("7506", ("SKF-32206",), ("SKF-32206",)),
    ("NU205", ("SKF-NU205",), ("SKF-NU205",)),
    ("NU 206 ECP", ("FAG-NU206",), ("FAG-NU206",)),
    ("NU206", ("FAG-NU206",), ("FAG-NU206",)),
    ("32205", ("SKF-NU205",), ("SKF-NU205",)),
    ("1205", ("SKF-1205",), ("SKF-1205",)),
    ("66206", ("NSK-7206",), ("NSK-7206",)),
    ("7206 BW", ("NSK-7206",), ("NSK-7206",)),
    ("51105", ("SKF-51105",), ("SKF-51105",)),
    ("8106", ("NSK-51106",), ("NSK-51106",)),
    ("NKI 20/16", ("SKF-NKI20",), ("SKF-NKI20",)),
    ("NKI20", ("SKF-NKI20",), ("SKF-NKI20",)),
    ("HK2016", ("INA-HK2016",), ("INA-HK2016",)),
    ("UCP 205", ("SKF-UCP205",), ("SKF-UCP205",)),
    ("подшипник 6205", ("SKF-6205-2RSH", "FAG-6205-2ZR", "SKF-6205-C3",
                        "NTN-6205LLU"), ("SKF-6205-2RSH", "FAG-6205-2ZR")),
    ("подшипник закрытый 6205", ("FAG-6205-2ZR",), ("FAG-6205-2ZR",)),
    ("подшипник 180205", ("GPZ-180205",), ("GPZ-180205",)),
    ("SKF 6205", ("SKF-6205-2RSH", "SKF-6205-C3"), ("SKF-6205-2RSH",)),
    ("FAG 6206", ("FAG-6206-2ZR",), ("FAG-6206-2ZR",)),
    ("NSK 6204", ("NSK-6204DDU",), ("NSK-6204DDU",)),
    ("ball bearing 6205", ("SKF-6205-2RSH", "FAG-6205-2ZR"),
     ("SKF-6205-2RSH", "FAG-6205-2ZR")),
    ("подшипник", titled("подшипник"), ()),
    ("подшипники", titled("подшипник"), ()),
    ("шариковые подшипники", titled("подшипник шариковый"), ()),
    ("подшипник упорный", ("SKF-51105", "NSK-51106"), ("SKF-51105", "NSK-51106")),
    ("упорные подшипники", ("SKF-51105", "NSK-51106"), ("SKF-51105", "NSK-51106")),
    ("игольчатый подшипник", ("SKF-NKI20", "INA-HK2016"),
     ("SKF-NKI20", "INA-HK2016")),
    ("подшипник конический", ("SKF-30205", "SKF-32206", "NTN-30206"),
     ("SKF-30205", "SKF-32206", "NTN-30206")),
    ("самоустанавливающийся", ("SKF-1205",), ("SKF-1205",)),
    ("радиально-упорный", ("SKF-7205", "NSK-7206"), ("SKF-7205", "NSK-7206")),
    ("подшипник SKF", titled("подшипник", "SKF"), ()),
    ("bearings", titled("подшипник"), ()),
    ("deep groove ball bearing", titled("подшипник шариковый радиальный"), ()),
    ("подшибник упорный", ("SKF-51105", "NSK-51106"), ()),  # a typo
    ("подшипнки игольчатые", ("SKF-NKI20", "INA-HK2016"), ()),
    ("подшипниковый узел", ("SKF-UCP205",), ("SKF-UCP205",)),
    # Fasteners: Cyrillic М and х in the catalogue, Latin in the query, and back.
    ("M8x40", ("B933-M8x40",), ("B933-M8x40",)),
    ("болт M8x40", ("B933-M8x40",), ("B933-M8x40",)),
    ("болт DIN 933 M10x50", ("B933-M10x50",), ("B933-M10x50",)),
    ("DIN 933 M12x60", ("B933-M12x60",), ("B933-M12x60",)),
    ("ISO 4017 M8x30", ("B933-M8x30",), ("B933-M8x30",)),
    ("ГОСТ 7798-70 М8х40", ("B933-M8x40",), ("B933-M8x40",)),
    ("7798-70 M16x80", ("B933-M16x80",), ("B933-M16x80",)),
    ("винт DIN 912 M6x20", ("S912-M6x20",), ("S912-M6x20",)),
    ("ISO 4762 M8x30", ("S912-M8x30",), ("S912-M8x30",)),
    ("винт M16x80", ("S912-M16x80",), ("S912-M16x80",)),
    ("гайка M10", ("N934-M10",), ("N934-M10",)),
    ("гайки М12", ("N934-M12",), ("N934-M12",)),
    ("DIN 934 M16", ("N934-M16",), ("N934-M16",)),
    ("ISO 4032 M8", ("N934-M8",), ("N934-M8",)),
    ("шайба M8", ("W125-M8", "W127-M8"), ("W125-M8", "W127-M8")),
    ("гровер M10", ("W127-M10",), ("W127-M10",)),
    ("шайба плоская М6", ("W125-M6",), ("W125-M6",)),
    ("ГОСТ 11371-78 M12", ("W125-M12",), ("W125-M12",)),
    ("6402-70 M16", ("W127-M16",), ("W127-M16",)),
    ("болт", titled("болт"), ()),
    ("болты оцинкованные", titled("болт", "оцинкованный"), ()),
    ("гайка", titled("гайка"), ()),
    ("hex bolt M8x40", ("B933-M8x40",), ("B933-M8x40",)),
    ("hex nut M12", ("N934-M12",), ("N934-M12",)),
    ("hex nuts", titled("гайка"), ()),
    ("анкер М10", ("ANK-M10",), ("ANK-M10",)),
    ("933 8x40 ZN", ("B933-M8x40",), ("B933-M8x40",)),
    ("шестигранный болт", titled("болт шестигранный"), ()),
    ("болд шестигранный", titled("болт шестигранный"), ()),  # a typo
    # Breakers: type designations with Cyrillic letters, order numbers.
    ("BA47-29 C16", ("IEK-MVA20-1-016-C",), ("IEK-MVA20-1-016-C",)),
    ("ВА47-29 С25", ("IEK-MVA20-3-025-C",), ("IEK-MVA20-3-025-C",)),
    ("BA47-29 B10", ("IEK-MVA20-1-010-B",), ("IEK-MVA20-1-010-B",)),
    ("BA47-63 C32", ("IEK-MVA40-3-032-C",), ("IEK-MVA40-3-032-C",)),
    ("MVA20-1-016-C", ("IEK-MVA20-1-016-C",),
     ("IEK-MVA20-1-016-C", "EKF-MCB4729-1-16C")),
    ("MVA20-1-016", ("IEK-MVA20-1-016-C",), ("IEK-MVA20-1-016-C",)),
    ("MVA20", ("IEK-MVA20-1-016-C", "IEK-MVA20-3-025-C", "IEK-MVA20-1-010-B"),
     ("IEK-MVA20-1-016-C", "IEK-MVA20-3-025-C", "IEK-MVA20-1-010-B")),
    ("mcb4729-1-16C", ("EKF-MCB4729-1-16C",), ("EKF-MCB4729-1-16C",)),
    ("A9F74116", ("SE-A9F74116",), ("SE-A9F74116",)),
    ("A9F74332", ("SE-A9F74332",), ("SE-A9F74332",)),
    ("A9F74", ("SE-A9F74116", "SE-A9F74332"), ("SE-A9F74116", "SE-A9F74332")),
    ("EZ9F34116", ("SE-EZ9F34116",), ("SE-EZ9F34116",)),
    ("2CDS251001R0164", ("ABB-S201-C16",), ("ABB-S201-C16",)),
    ("2CDS253001R0254", ("ABB-S203-C25",), ("ABB-S203-C25",)),
    ("2CDS251001", ("ABB-S201-C16", "ABB-S201-B10"),
     ("ABB-S201-C16", "ABB-S201-B10")),
    ("419664", ("LEG-419664",), ("LEG-419664",)),
    ("407804", ("LEG-407804",), ("LEG-407804",)),
    ("S201 C16", ("ABB-S201-C16",), ("ABB-S201-C16",)),
    ("S201", ("ABB-S201-C16", "ABB-S201-B10"), ("ABB-S201-C16", "ABB-S201-B10")),
    ("iC60N C16", ("SE-A9F74116",), ("SE-A9F74116",)),
    ("iC60N 3P C32", ("SE-A9F74332",), ("SE-A9F74332",)),
    ("Easy9 C16", ("SE-EZ9F34116",), ("SE-EZ9F34116",)),
    ("Legrand RX3 C16", ("LEG-419664",), ("LEG-419664",)),
    ("DX3 C25", ("LEG-407804",), ("LEG-407804",)),
    ("автоматический выключатель C16", (
        "ABB-S201-C16", "ABB-SH201-C16", "SE-A9F74116", "SE-EZ9F34116",
        "IEK-MVA20-1-016-C", "LEG-419664"), ()),
    ("автоматический выключатель BA47-29 C16", ("IEK-MVA20-1-016-C",),
     ("IEK-MVA20-1-016-C",)),
    ("автоматический выключатель С25 3P", ("ABB-S203-C25", "IEK-MVA20-3-025-C",
     "LEG-407804"), ("ABB-S203-C25", "IEK-MVA20-3-025-C", "LEG-407804")),
    ("автоматические выключатели", titled("автоматический выключатель"), ()),
    ("выключатль автоматический", titled("автоматический выключатель"), ()),
    ("circuit breaker C25", ("ABB-S203-C25", "LEG-407804"),
     ("ABB-S203-C25", "LEG-407804")),
    ("circuit breakers", titled("автоматический выключатель"), ()),
    ("дифавтомат С16", ("IEK-MAD22-5-016-C-30",), ("IEK-MAD22-5-016-C-30",)),
    ("АД12 C16", ("IEK-MAD22-5-016-C-30",), ("IEK-MAD22-5-016-C-30",)),
    ("выключатель IEK 3P", ("IEK-MVA20-3-025-C", "IEK-MVA40-3-032-C"),
     ("IEK-MVA20-3-025-C", "IEK-MVA40-3-032-C")),
    ("DIN-рейка", ("CAB-DIN",), ("CAB-DIN",)),
    ("рейка DIN 35", ("CAB-DIN",), ("CAB-DIN",)),
    ("ЩРН-12", ("CAB-BOX12",), ("CAB-BOX12",)),
    ("щит распределительный", ("CAB-BOX12",), ("CAB-BOX12",)),
    # Pneumatics.
    ("CQ2B32-50D", ("SMC-CQ2B32-50D",), ("SMC-CQ2B32-50D",)),
    ("CQ2B32", ("SMC-CQ2B32-50D",), ("SMC-CQ2B32-50D",)),
    ("CDQ2B25-20DZ", ("SMC-CDQ2B25-20DZ",), ("SMC-CDQ2B25-20DZ",)),
    ("KQ2H06-01S", ("SMC-KQ2H06-01S",), ("SMC-KQ2H06-01S",)),
    ("KQ2H06", ("SMC-KQ2H06-01S",), ("SMC-KQ2H06-01S",)),
    ("KQ2L08-02S", ("SMC-KQ2L08-02S",), ("SMC-KQ2L08-02S",)),
    ("SY5120-5LZD-01", ("SMC-SY5120-5LZD-01",), ("SMC-SY5120-5LZD-01",)),
    ("SY5120", ("SMC-SY5120-5LZD-01",), ("SMC-SY5120-5LZD-01",)),
    ("AF30-03", ("SMC-AF30-03",), ("SMC-AF30-03",)),
    ("AR20-02", ("REG-AR20",), ("REG-AR20",)),
    ("DSNU-25-100-PPV-A", ("FESTO-1908289",), ("FESTO-1908289",)),
    ("DSNU-25-100", ("FESTO-1908289",), ("FESTO-1908289",)),
    ("1908289", ("FESTO-1908289",), ("FESTO-1908289",)),
    ("QS-8", ("FESTO-153032",), ("FESTO-153032",)),
    ("QS-6", ("FESTO-153031",), ("FESTO-153031",)),
    ("153032", ("FESTO-153032",), ("FESTO-153032",)),
    ("QS-1/8-6", ("SMC-KQ2H06-01S",), ("SMC-KQ2H06-01S",)),
    ("QSL-1/4-8", ("SMC-KQ2L08-02S",), ("SMC-KQ2L08-02S",)),
    ("VUVG-L14-M52", ("FESTO-8042547",), ("FESTO-8042547",)),
    ("24N2A20A050", ("CAM-24N2A20A050",), ("CAM-24N2A20A050",)),
    ("24N2A20", ("CAM-24N2A20A050",), ("CAM-24N2A20A050",)),
    ("6512 8-1/4", ("CAM-6512-8-1/4",), ("CAM-6512-8-1/4",)),
    ("KQ2H08-02S", ("CAM-6512-8-1/4",), ("CAM-6512-8-1/4",)),
    ("358-015-02", ("CAM-358-015-02",), ("CAM-358-015-02",)),
    ("MC104", ("CAM-MC104-D00",), ("CAM-MC104-D00",)),
    ("TU0805B", ("HOSE-PU8",), ("HOSE-PU8",)),
    ("TU0604B-100", ("HOSE-PU6",), ("HOSE-PU6",)),
    ("пневмоцилиндр SMC", ("SMC-CQ2B32-50D", "SMC-CDQ2B25-20DZ"),
     ("SMC-CQ2B32-50D", "SMC-CDQ2B25-20DZ")),
    ("пневмоцилиндры", titled("пневмоцилиндр"), ()),
    ("фитинг цанговый 8 мм", ("SMC-KQ2L08-02S",), ("SMC-KQ2L08-02S",)),
    ("фитинги", titled("фитинг"), ()),
    ("трубка полиуретановая 8", ("HOSE-PU8",), ("HOSE-PU8",)),
    ("пневмораспределитель Camozzi", ("CAM-358-015-02",), ("CAM-358-015-02",)),
    ("фильтр воздушный", ("SMC-AF30-03",), ("SMC-AF30-03",)),
    ("air filter", ("SMC-AF30-03",), ("SMC-AF30-03",)),
    ("solenoid valve", ("SMC-SY5120-5LZD-01", "FESTO-8042547"),
     ("SMC-SY5120-5LZD-01", "FESTO-8042547")),
    ("пневмацилиндр", titled("пневмоцилиндр"), ()),  # a typo
    # The goods around them.
    ("съемник подшипников", ("TOOL-PULLER",), ("TOOL-PULLER",)),
    ("смазка для подшипников", ("LUB-SKF-LGMT2", "LUB-LITOL", "GUN-GREASE"), ()),
    ("смазка литол", ("LUB-LITOL",), ("LUB-LITOL",)),
    ("литол-24", ("LUB-LITOL",), ("LUB-LITOL",)),
    ("LGMT 2", ("LUB-SKF-LGMT2",), ("LUB-SKF-LGMT2",)),
    ("TIH 030", ("TOOL-HEATER",), ("TOOL-HEATER",)),
    ("нагреватель индукционный", ("TOOL-HEATER",), ("TOOL-HEATER",)),
    ("ключ гаечный 13", ("TOOL-KEY-13",), ("TOOL-KEY-13",)),
    ("манжета армированная", ("SEAL-40-62",), ("SEAL-40-62",)),
    ("ГОСТ 8752-79", ("SEAL-40-62",), ("SEAL-40-62",)),
    ("сальник 35x52x7", ("SEAL-35-52",), ("SEAL-35-52",)),
    ("сальник 35х52х7", ("SEAL-35-52",), ("SEAL-35-52",)),
    ("ремень A-1000", ("BELT-A1000",), ("BELT-A1000",)),
    ("SPA 1250", ("BELT-SPA1250",), ("BELT-SPA1250",)),
    ("ремень клиновой", ("BELT-A1000", "BELT-SPA1250"),
     ("BELT-A1000", "BELT-SPA1250")),
    ("ремни клиновые", ("BELT-A1000", "BELT-SPA1250"), ()),
    ("цепь 08B-1", ("CHAIN-PR12",), ("CHAIN-PR12",)),
    ("ПР-12,7-1820", ("CHAIN-PR12",), ("CHAIN-PR12",)),
    ("шприц для смазки", ("GUN-GREASE",), ("GUN-GREASE",)),
    ("уплотнение вала", ("SEAL-40-62",), ("SEAL-40-62",)),
]  # fmt: skip

QUERIES = _ball_bearing_queries() + HANDWRITTEN
