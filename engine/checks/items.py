"""Names of the document-set items (A1, A2, A9, A10, A11, A3.9.2) in Kazakh, Russian and English."""

from __future__ import annotations

Label = tuple[str, str, str]  # kk, ru, en

FORM: dict[str, Label] = {
    "A1": ("Өтініш (1-қосымша)", "Заявление (приложение 1)", "Application form (Appendix 1)"),
    "A2": ("Өтініш (2-қосымша)", "Заявление (приложение 2)", "Application form (Appendix 2)"),
    "A9": ("Қайта ресімдеуге өтініш (9-қосымша)", "Заявление о переоформлении (приложение 9)",
           "Reissue application form (Appendix 9)"),
    "A10": ("Қайта ресімдеуге өтініш (10-қосымша)", "Заявление о переоформлении (приложение 10)",
            "Reissue application form (Appendix 10)"),
    "A9/A10": ("Қайта ресімдеуге өтініш (9 немесе 10-қосымша)",
               "Заявление о переоформлении (приложение 9 или 10)",
               "Reissue application form (Appendix 9 or 10)"),
}

NOTICE: Label = (
    "Аппараттық-бағдарламалық кешенді тізілімге енгізу туралы хабарламаның нөмірі",
    "Номер уведомления о включении аппаратно-программного комплекса в реестр",
    "Number of the notice entering the mining hardware in the registry",
)
DATA_CENTER: Label = (
    "Деректерді өңдеу орталығының болуын растайтын құжат (орналасқан жерімен)",
    "Документ, подтверждающий наличие центра обработки данных (с указанием места нахождения)",
    "Document proving the data-processing centre on a legal basis, with its location",
)
POOL: Label = (
    "Цифрлық майнинг пулы арқылы қызметті жүзеге асыру туралы ақпарат",
    "Сведения об осуществлении деятельности через майнинг-пул",
    "Mining-pool information",
)
METERING: Label = (
    "Электр энергиясын коммерциялық есепке алудың автоматтандырылған жүйесінің, "
    "телекоммуникациялар жүйесінің және жүктемені ажырату құрылғыларының болуын растайтын құжат",
    "Документ о наличии автоматизированной системы коммерческого учёта электроэнергии, "
    "системы телекоммуникаций и устройств отключения нагрузки",
    "Document proving automated commercial electricity metering, a telecom link "
    "and load-disconnection devices",
)
GRID_STANDARD: Label = (
    "Кернеуі 35 кВ және одан жоғары қосалқы станциялардан рұқсат етілген қуаты кемінде 1 МВт "
    "электр желілеріне қосуға арналған техникалық шарттар",
    "Технические условия на подключение к электрическим сетям от подстанций 35 кВ и выше "
    "с разрешённой мощностью не менее 1 МВт",
    "Technical conditions for grid connection from substations of 35 kV and above, "
    "at least 1 MW permitted",
)
GRID_BEFORE_2023_04_01: Label = (
    "Тиісті қызмет түрімен (дата-орталықтар, өндірістік немесе өнеркәсіптік ғимараттар) "
    "электр желілеріне қосуға арналған техникалық шарттар (2023 жылғы 1 сәуірге дейін қосылғандар үшін)",
    "Технические условия на подключение к электрическим сетям по соответствующему виду деятельности "
    "(центры обработки данных, производственные или промышленные здания) — для подключённых до 01.04.2023",
    "Technical conditions for grid connection for the activity type (data centres, production or "
    "industrial buildings) — for miners connected before 01.04.2023",
)
CHANGE_DOCUMENTS: Label = (
    "Қайта ресімдеуге негіз болған өзгерістер туралы құжаттардың көшірмелері",
    "Копии документов, содержащих информацию об изменениях, послуживших основанием для переоформления",
    "Copies of documents on the changes that are the ground for the reissue",
)

# Why an item is not required, per reason key.
NOT_REQUIRED: dict[str, Label] = {
    "no_pool": ("пул пайдаланылмайды", "майнинг-пул не используется", "no mining pool used"),
    "before_2024": ("өтініш 2024 жылғы 1 қаңтарға дейін тіркелген",
                    "заявление зарегистрировано до 01.01.2024",
                    "application registered before 2024-01-01"),
    "isolated": ("барлық ДӨО электр энергиясын бірыңғай электр энергетикалық жүйесіне қосылмаған "
                 "өндірушілерден сатып алады",
                 "все ЦОД покупают электроэнергию у производителей, не подключённых к единой "
                 "электроэнергетической системе",
                 "every data centre buys from a generator outside the unified power system"),
    "state_systems": ("өзгерістер туралы мәліметтер мемлекеттік ақпараттық жүйелерде бар "
                      "немесе өзгерісті заң белгілеген",
                      "сведения об изменениях есть в государственных информационных системах "
                      "или изменение установлено законом",
                      "the changes are on record in state information systems or were made by law"),
}

SUBMITTED: Label = ("ұсынылды", "представлено", "submitted")
MISSING: Label = ("ұсынылмаған", "не представлено", "missing")
NOT_REQUIRED_WORD: Label = ("талап етілмейді", "не требуется", "not required")
FORM_INCOMPLETE: Label = (
    "қол қойылмаған немесе растаулар толық емес",
    "не подписано или подтверждения неполные",
    "not signed or confirmations incomplete",
)
