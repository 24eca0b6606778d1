"""A catalogue of real manufacturers' numbering for the relevance set: bearings (SKF,
FAG, NSK, NTN, ГПЗ with their GOST designations), DIN/ISO/ГОСТ fasteners, breakers
(ABB, Schneider, IEK, Legrand), pneumatics (SMC, Festo, Camozzi) and the goods around
them whose descriptions mention those words. Titles are written as catalogues write
them: Cyrillic look-alike letters in designations ("ВА47-29", "М8х40"), numbers
sometimes only in the part-number fields.

Each product is a dict: article, title, optional title_en, description, maker,
manufacturer_article, category, refs [(brand, number)], stock (units, 0 = none)."""

# GOST 3189-89 designations of the deep groove ball bearings: open 2xx/3xx, two
# shields 80xxx, two seals 180xxx.
BALL_BASES = [
    "6200", "6201", "6202", "6203", "6204", "6205", "6206", "6207", "6208",
    "6209", "6210", "6211", "6212", "6301", "6302", "6303", "6304", "6305", "6306",
    "6307", "6308", "6309",
]  # fmt: skip
BALL_SIZES = {
    "6200": "10×30×9", "6201": "12×32×10", "6202": "15×35×11", "6203": "17×40×12",
    "6204": "20×47×14", "6205": "25×52×15", "6206": "30×62×16", "6207": "35×72×17",
    "6208": "40×80×18", "6209": "45×85×19", "6210": "50×90×20", "6211": "55×100×21",
    "6212": "60×110×22", "6307": "35×80×21", "6309": "45×100×25", "6301": "12×37×12",
    "6302": "15×42×13", "6303": "17×47×14", "6304": "20×52×15", "6305": "25×62×17",
    "6306": "30×72×19", "6308": "40×90×23",
}  # fmt: skip


def _gost(base: str) -> str:
    return base[1:]  # 6205 → 205


def _ball_bearings() -> list[dict]:
    products = []
    for n, base in enumerate(BALL_BASES):
        size, gost = BALL_SIZES[base], _gost(base)
        products.append(
            {
                "article": f"SKF-{base}-2RSH",
                "title": f"Подшипник шариковый радиальный {base}-2RSH SKF",
                "title_en": f"Deep groove ball bearing {base}-2RSH SKF",
                "description": f"Два контактных уплотнения, {size} мм.",
                "maker": "SKF",
                "manufacturer_article": f"{base}-2RSH",
                "category": "ball",
                "refs": [
                    ("ГОСТ", f"180{gost}"),
                    ("FAG", f"{base}-2RSR"),
                    ("NSK", f"{base}DDU"),
                    ("NTN", f"{base}LLU"),
                ],
                "stock": 0 if n % 4 == 3 else 20,
            }
        )
        # FAG's titles carry no number: it is in the part-number fields only.
        products.append(
            {
                "article": f"FAG-{base}-2ZR",
                "title": f"Подшипник шариковый закрытый {size} мм FAG",
                "title_en": f"Ball bearing, shielded, {size} mm, FAG",
                "description": "Две металлические защитные шайбы, смазан на весь срок.",
                "maker": "FAG",
                "manufacturer_article": f"{base}-2ZR",
                "category": "ball",
                "refs": [("ГОСТ", f"80{gost}"), ("SKF", f"{base}-2Z"),
                         ("NSK", f"{base}ZZ")],
                "stock": 10 if n % 3 else 0,
            }
        )  # fmt: skip
        products.append(
            {
                "article": f"GPZ-180{gost}",
                "title": f"Подшипник 180{gost} ГПЗ",
                "description": f"Аналог {base}-2RS, {size} мм, ГОСТ 8338-75.",
                "maker": "ГПЗ",
                "manufacturer_article": f"180{gost}",
                "category": "ball",
                "refs": [("ISO", f"{base}-2RS")],
                "stock": 50,
            }
        )
    return products


OTHER_BEARINGS = [
    # article, title, maker, manufacturer's number, category, refs, stock
    ("SKF-30205", "Подшипник роликовый конический 30205 J2/Q SKF", "SKF",
     "30205 J2/Q", "roller", [("ГОСТ", "7205"), ("NTN", "4T-30205")], 8),
    ("SKF-32206", "Подшипник роликовый конический 32206 J2/Q SKF", "SKF",
     "32206 J2/Q", "roller", [("ГОСТ", "7506")], 4),
    ("NTN-30206", "Подшипник конический 4T-30206 NTN", "NTN", "4T-30206",
     "roller", [("ГОСТ", "7206"), ("SKF", "30206 J2/Q")], 6),
    ("SKF-NU205", "Подшипник роликовый цилиндрический NU 205 ECP SKF", "SKF",
     "NU 205 ECP", "roller", [("ГОСТ", "32205"), ("FAG", "NU205-E-TVP2")], 3),
    ("FAG-NU206", "Подшипник цилиндрический NU206-E-TVP2 FAG", "FAG",
     "NU206-E-TVP2", "roller", [("ГОСТ", "32206"), ("SKF", "NU 206 ECP")], 0),
    ("SKF-1205", "Подшипник шариковый самоустанавливающийся 1205 ETN9 SKF", "SKF",
     "1205 ETN9", "ball", [("ГОСТ", "1205")], 2),
    ("SKF-7205", "Подшипник радиально-упорный 7205 BEP SKF", "SKF", "7205 BEP",
     "ball", [("ГОСТ", "66205")], 5),
    ("NSK-7206", "Подшипник радиально-упорный 7206 BW NSK", "NSK", "7206BW",
     "ball", [("ГОСТ", "66206")], 5),
    ("SKF-51105", "Подшипник упорный 51105 SKF", "SKF", "51105", "thrust",
     [("ГОСТ", "8105")], 7),
    ("NSK-51106", "Подшипник упорный шариковый 51106 NSK", "NSK", "51106",
     "thrust", [("ГОСТ", "8106")], 0),
    ("NTN-6205LLU", "Подшипник шариковый 6205LLU/2AS NTN", "NTN",
     "6205LLU/2AS", "ball", [("SKF", "6205-2RS1")], 0),
    ("NSK-6204DDU", "Подшипник шариковый 6204DDUCM NSK", "NSK", "6204DDUCM",
     "ball", [("SKF", "6204-2RSH/C3")], 9),
    ("SKF-6205-C3", "Подшипник шариковый 6205-2RSH/C3 SKF, зазор C3", "SKF",
     "6205-2RSH/C3", "ball", [("ГОСТ", "3180205")], 0),
    ("SKF-NKI20", "Подшипник игольчатый NKI 20/16 SKF", "SKF", "NKI 20/16",
     "needle", [("ГОСТ", "4074104")], 3),
    ("INA-HK2016", "Подшипник игольчатый HK 2016 INA", "INA", "HK2016",
     "needle", [("ГОСТ", "942/20")], 11),
    ("SKF-UCP205", "Подшипниковый узел UCP 205 SKF", "SKF", "UCP 205",
     "housing", [("ГОСТ", "UCP205")], 4),
]  # fmt: skip

FASTENER_SIZES = ["М6х20", "М8х30", "М8х40", "М10х50", "М12х60", "М16х80"]
NUT_SIZES = ["М6", "М8", "М10", "М12", "М16"]


def _fasteners() -> list[dict]:
    products = []
    for size in FASTENER_SIZES:
        latin = size.replace("М", "M").replace("х", "x")
        products.append(
            {
                "article": f"B933-{latin}",
                "title": f"Болт шестигранный DIN 933 {size} 8.8 оцинкованный",
                "title_en": f"Hex bolt DIN 933 {latin} 8.8 zinc plated",
                "description": "Полная резьба, класс прочности 8.8.",
                "maker": "Fixer",
                "manufacturer_article": f"933{latin.replace('M', '')}ZN",
                "category": "bolts",
                "refs": [("ISO", f"4017 {latin}"), ("ГОСТ", f"7798-70 {size}")],
                "stock": 500,
            }
        )
        products.append(
            {
                "article": f"S912-{latin}",
                "title": f"Винт с внутренним шестигранником DIN 912 {size} 12.9",
                "title_en": f"Socket head cap screw DIN 912 {latin} 12.9",
                "description": "Для крепления под болт с цилиндрической головкой.",
                "maker": "Fixer",
                "manufacturer_article": f"912{latin.replace('M', '')}",
                "category": "screws",
                "refs": [("ISO", f"4762 {latin}"), ("ГОСТ", f"11738-84 {size}")],
                "stock": 0 if size == "М16х80" else 200,
            }
        )
    for size in NUT_SIZES:
        latin = size.replace("М", "M")
        products.append(
            {
                "article": f"N934-{latin}",
                "title": f"Гайка шестигранная DIN 934 {size} оцинкованная",
                "title_en": f"Hex nut DIN 934 {latin} zinc plated",
                "description": f"Для болтов {size}, класс прочности 8.",
                "maker": "Fixer",
                "manufacturer_article": f"934{latin}",
                "category": "nuts",
                "refs": [("ISO", f"4032 {latin}"), ("ГОСТ", f"5915-70 {size}")],
                "stock": 1000,
            }
        )
        products.append(
            {
                "article": f"W125-{latin}",
                "title": f"Шайба плоская DIN 125 {size}",
                "title_en": f"Flat washer DIN 125 {latin}",
                "description": f"Под болт и гайку {size}.",
                "maker": "Fixer",
                "manufacturer_article": f"125{latin}",
                "category": "washers",
                "refs": [("ISO", f"7089 {latin}"), ("ГОСТ", f"11371-78 {size}")],
                "stock": 1000,
            }
        )
        products.append(
            {
                "article": f"W127-{latin}",
                "title": f"Шайба пружинная гровер DIN 127 {size}",
                "description": "Стопорная шайба для резьбовых соединений.",
                "maker": "Fixer",
                "manufacturer_article": f"127{latin}",
                "category": "washers",
                "refs": [("ГОСТ", f"6402-70 {size}")],
                "stock": 300,
            }
        )
    products.append(
        {
            "article": "ANK-M10",
            "title": "Анкерный болт с гайкой М10х100",
            "description": "Клиновой анкер для бетона.",
            "maker": "Fixer",
            "manufacturer_article": "AB10100",
            "category": "anchors",
            "refs": [],
            "stock": 40,
        }
    )
    return products


BREAKERS = [
    # article, title, title_en, maker, manufacturer's number, refs, stock
    ("ABB-S201-C16", "Автоматический выключатель S201 C16 1P 6кА ABB",
     "Circuit breaker S201 C16 1P 6kA ABB", "ABB", "2CDS251001R0164", [], 30),
    ("ABB-S201-B10", "Автоматический выключатель S201 B10 1P ABB",
     "Circuit breaker S201 B10 1P ABB", "ABB", "2CDS251001R0105", [], 12),
    ("ABB-S203-C25", "Автоматический выключатель S203 C25 3P ABB",
     "Circuit breaker S203 C25 3P ABB", "ABB", "2CDS253001R0254", [], 0),
    ("ABB-SH201-C16", "Автоматический выключатель SH201L C16 1P 4,5кА ABB",
     "Circuit breaker SH201L C16 ABB", "ABB", "2CDS241001R0164", [], 25),
    ("SE-A9F74116", "Автоматический выключатель iC60N 1P C16 Acti9 Schneider Electric",
     "Circuit breaker iC60N 1P C16 Acti9", "Schneider Electric", "A9F74116", [], 40),
    ("SE-A9F74332", "Автоматический выключатель iC60N 3P C32 Acti9 Schneider Electric",
     "Circuit breaker iC60N 3P C32 Acti9", "Schneider Electric", "A9F74332", [], 6),
    ("SE-EZ9F34116", "Автоматический выключатель Easy9 1P C16 4,5кА Schneider Electric",
     "Circuit breaker Easy9 1P C16", "Schneider Electric", "EZ9F34116", [], 80),
    ("IEK-MVA20-1-016-C", "Автоматический выключатель ВА47-29 1P С16 4,5кА IEK",
     "Circuit breaker BA47-29 1P C16 IEK", "IEK", "MVA20-1-016-C", [], 200),
    ("IEK-MVA20-3-025-C", "Автоматический выключатель ВА47-29 3P С25 4,5кА IEK",
     "", "IEK", "MVA20-3-025-C", [], 0),
    ("IEK-MVA20-1-010-B", "Автоматический выключатель ВА47-29 1P В10 4,5кА IEK",
     "", "IEK", "MVA20-1-010-B", [], 15),
    ("IEK-MVA40-3-032-C", "Автоматический выключатель ВА47-63 3P С32 6кА IEK",
     "", "IEK", "MVA40-3-032-C", [], 9),
    ("IEK-MAD22-5-016-C-30", "Дифавтомат АД12 1P+N С16 30мА IEK",
     "", "IEK", "MAD22-5-016-C-30", [], 18),
    ("LEG-419664", "Автоматический выключатель RX3 1P C16 4,5кА Legrand",
     "Circuit breaker RX3 1P C16 Legrand", "Legrand", "419664", [], 60),
    ("LEG-407804", "Автоматический выключатель DX3 3P C25 6кА Legrand",
     "Circuit breaker DX3 3P C25 Legrand", "Legrand", "407804", [], 3),
    ("EKF-MCB4729-1-16C", "Автоматический выключатель ВА 47-29 1P 16А (С) EKF PROxima",
     "", "EKF", "mcb4729-1-16C", [("IEK", "MVA20-1-016-C")], 90),
]  # fmt: skip

PNEUMATICS = [
    # article, title, title_en, maker, manufacturer's number, category, refs, stock
    ("SMC-CQ2B32-50D", "Пневмоцилиндр компактный CQ2B32-50D SMC",
     "Compact cylinder CQ2B32-50D SMC", "SMC", "CQ2B32-50D", "cylinders", [], 2),
    ("SMC-CDQ2B25-20DZ", "Пневмоцилиндр компактный с магнитом CDQ2B25-20DZ SMC",
     "", "SMC", "CDQ2B25-20DZ", "cylinders", [], 0),
    ("SMC-KQ2H06-01S", "Фитинг прямой цанговый KQ2H06-01S, трубка 6 мм, R1/8 SMC",
     "One-touch fitting KQ2H06-01S SMC", "SMC", "KQ2H06-01S", "fittings",
     [("Festo", "QS-1/8-6")], 300),
    ("SMC-KQ2L08-02S", "Фитинг угловой цанговый KQ2L08-02S, трубка 8 мм, R1/4 SMC",
     "", "SMC", "KQ2L08-02S", "fittings", [("Festo", "QSL-1/4-8")], 120),
    ("SMC-SY5120-5LZD-01", "Пневмораспределитель 5/2 SY5120-5LZD-01 24 В SMC",
     "Solenoid valve SY5120-5LZD-01 SMC", "SMC", "SY5120-5LZD-01", "valves", [], 7),
    ("SMC-AF30-03", "Фильтр воздушный AF30-03 SMC", "Air filter AF30-03 SMC",
     "SMC", "AF30-03", "preparation", [], 5),
    ("FESTO-1908289", "Пневмоцилиндр DSNU-25-100-PPV-A Festo",
     "Round cylinder DSNU-25-100-PPV-A Festo", "Festo", "1908289", "cylinders",
     [("Festo", "DSNU-25-100-PPV-A")], 4),
    ("FESTO-153032", "Фитинг цанговый QS-8 Festo", "Push-in fitting QS-8 Festo",
     "Festo", "153032", "fittings", [("Festo", "QS-8")], 150),
    ("FESTO-153031", "Фитинг цанговый QS-6 Festo", "", "Festo", "153031",
     "fittings", [("Festo", "QS-6")], 0),
    ("FESTO-8042547", "Распределитель VUVG-L14-M52-MT-G18-1R8L Festo",
     "Solenoid valve VUVG-L14-M52-MT-G18-1R8L", "Festo", "8042547", "valves",
     [("Festo", "VUVG-L14-M52-MT-G18-1R8L")], 3),
    ("CAM-24N2A20A050", "Пневмоцилиндр 24N2A20A050 Camozzi", "", "Camozzi",
     "24N2A20A050", "cylinders", [], 6),
    ("CAM-6512-8-1/4", "Фитинг прямой 6512 8-1/4 Camozzi", "", "Camozzi",
     "6512 8-1/4", "fittings", [("SMC", "KQ2H08-02S")], 70),
    ("CAM-358-015-02", "Пневмораспределитель 358-015-02 Camozzi", "", "Camozzi",
     "358-015-02", "valves", [], 0),
    ("CAM-MC104-D00", "Блок подготовки воздуха MC104-D00 Camozzi", "", "Camozzi",
     "MC104-D00", "preparation", [], 2),
    ("HOSE-PU8", "Трубка полиуретановая 8×5,5 мм, синяя, бухта 100 м", "",
     "Camozzi", "TPU8/5.5B", "tubes", [("SMC", "TU0805B-100")], 20),
    ("HOSE-PU6", "Трубка полиуретановая 6×4 мм, синяя, бухта 100 м", "",
     "Camozzi", "TPU6/4B", "tubes", [("SMC", "TU0604B-100")], 0),
]  # fmt: skip

# Goods whose descriptions (or categories) name the words the goods above are named by.
AROUND = [
    ("TOOL-PULLER", "Съёмник трёхлапый 150 мм", "Tool", "",
     "Для снятия подшипников, шкивов и шестерён.", "tools", 12),
    ("LUB-LITOL", "Автомобильная смазка Литол-24, 0,8 кг", "Tool", "",
     "Для подшипников качения и скольжения, шарниров.", "lubricants", 40),
    ("LUB-SKF-LGMT2", "Смазка SKF LGMT 2/1, 1 кг", "SKF", "LGMT 2/1",
     "Универсальная смазка для подшипников.", "lubricants", 15),
    ("TOOL-HEATER", "Индукционный нагреватель TIH 030m SKF", "SKF", "TIH 030M",
     "Для нагрева подшипников перед посадкой.", "tools", 1),
    ("TOOL-KEY-13", "Ключ гаечный комбинированный 13 мм", "Tool", "",
     "Для болтов и гаек М8.", "tools", 25),
    ("TOOL-TORX", "Бита шестигранная 6 мм", "Tool", "",
     "Для винтов DIN 912 М8.", "tools", 30),
    ("CAB-DIN", "DIN-рейка 35 мм, 1 м", "IEK", "YDN10-0100",
     "Для установки автоматических выключателей.", "enclosures", 100),
    ("CAB-BOX12", "Щит распределительный ЩРН-12 IP41", "IEK", "MKP12-N-12-31-41",
     "Корпус на 12 автоматических выключателей.", "enclosures", 8),
    ("SEAL-40-62", "Манжета армированная 1.2-40х62-1 ГОСТ 8752-79", "Tool", "",
     "Уплотнение вала для подшипниковых узлов.", "seals", 50),
    ("SEAL-35-52", "Сальник 35x52x7 NBR", "Tool", "", "Для вала 35 мм.", "seals", 14),
    ("BELT-A1000", "Ремень клиновой A-1000", "Tool", "A-1000",
     "Приводной ремень для станков.", "belts", 22),
    ("BELT-SPA1250", "Ремень клиновой SPA 1250 Optibelt", "Optibelt", "SPA 1250",
     "Узкий клиновой ремень.", "belts", 0),
    ("CHAIN-PR12", "Цепь приводная роликовая ПР-12,7-1820 (08B-1)", "Tool",
     "08B-1", "Цепь для звёздочек шаг 12,7 мм.", "chains", 5),
    ("GUN-GREASE", "Шприц для смазки 400 мл", "Tool", "",
     "Для смазки подшипников и шарниров через пресс-маслёнки.", "tools", 9),
    ("REG-AR20", "Регулятор давления AR20-02 SMC", "SMC", "AR20-02",
     "Для фильтров и пневмоцилиндров.", "preparation", 3),
]  # fmt: skip

CATEGORIES = {
    # key: (name, English name, parent key or None)
    "bearings": ("Подшипники", "Bearings", None),
    "ball": ("Шариковые подшипники", "Ball bearings", "bearings"),
    "roller": ("Роликовые подшипники", "Roller bearings", "bearings"),
    "thrust": ("Упорные подшипники", "Thrust bearings", "bearings"),
    "needle": ("Игольчатые подшипники", "Needle bearings", "bearings"),
    "housing": ("Корпусные подшипники", "Bearing units", "bearings"),
    "fasteners": ("Крепёж", "Fasteners", None),
    "bolts": ("Болты", "Bolts", "fasteners"),
    "screws": ("Винты", "Screws", "fasteners"),
    "nuts": ("Гайки", "Nuts", "fasteners"),
    "washers": ("Шайбы", "Washers", "fasteners"),
    "anchors": ("Анкеры", "Anchors", "fasteners"),
    "electric": ("Электрика", "Electrical", None),
    "breakers": ("Автоматические выключатели", "Circuit breakers", "electric"),
    "enclosures": ("Щиты и корпуса", "Enclosures", "electric"),
    "pneumatics": ("Пневматика", "Pneumatics", None),
    "cylinders": ("Пневмоцилиндры", "Pneumatic cylinders", "pneumatics"),
    "fittings": ("Фитинги", "Fittings", "pneumatics"),
    "valves": ("Пневмораспределители", "Valves", "pneumatics"),
    "preparation": ("Подготовка воздуха", "Air preparation", "pneumatics"),
    "tubes": ("Пневмотрубки", "Tubes", "pneumatics"),
    "service": ("Обслуживание", "Service", None),
    "tools": ("Инструмент", "Tools", "service"),
    "lubricants": ("Смазки", "Lubricants", "service"),
    "seals": ("Уплотнения", "Seals", "service"),
    "belts": ("Ремни", "Belts", "service"),
    "chains": ("Цепи", "Chains", "service"),
}


def products() -> list[dict]:
    found = _ball_bearings()
    for article, title, maker, number, category, refs, stock in OTHER_BEARINGS:
        found.append(
            dict(article=article, title=title, maker=maker, category=category,
                 manufacturer_article=number, refs=refs, stock=stock)
        )  # fmt: skip
    found += _fasteners()
    for article, title, title_en, maker, number, refs, stock in BREAKERS:
        found.append(
            dict(article=article, title=title, title_en=title_en, maker=maker,
                 manufacturer_article=number, category="breakers", refs=refs,
                 stock=stock)
        )  # fmt: skip
    for article, title, title_en, maker, number, category, refs, stock in PNEUMATICS:
        found.append(
            dict(article=article, title=title, title_en=title_en, maker=maker,
                 manufacturer_article=number, category=category, refs=refs,
                 stock=stock)
        )  # fmt: skip
    for article, title, maker, number, description, category, stock in AROUND:
        found.append(
            dict(article=article, title=title, maker=maker, category=category,
                 manufacturer_article=number, description=description, refs=[],
                 stock=stock)
        )  # fmt: skip
    return found
