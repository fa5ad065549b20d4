"""Workspace texts in Kazakh, Russian and English; Flask-Babel picks the language and formats dates."""

from __future__ import annotations

from typing import Any

from flask import session

LANGUAGES = ("kk", "ru", "en")

TEXTS: dict[str, dict[str, str]] = {
    "app": {"kk": "Цифрлық майнинг лицензиялау", "ru": "Лицензирование цифрового майнинга",
            "en": "Digital-mining licensing"},
    "ministry": {"kk": "ҚР Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі министрлігі",
                 "ru": "Министерство цифрового развития, инноваций и аэрокосмической промышленности РК",
                 "en": "Ministry of Digital Development, Innovation and Aerospace Industry of Kazakhstan"},
    "login": {"kk": "Кіру", "ru": "Вход", "en": "Sign in"},
    "logout": {"kk": "Шығу", "ru": "Выход", "en": "Sign out"},
    "wrong_credentials": {"kk": "Пайдаланушы аты немесе құпиясөз қате",
                          "ru": "Неверное имя пользователя или пароль",
                          "en": "Unknown user name or wrong password"},
    "too_many_attempts": {"kk": "Осы мекенжайдан кіру әрекеттері тым көп: кейінірек қайталаңыз",
                          "ru": "Слишком много неудачных попыток входа с этого адреса: повторите позже",
                          "en": "Too many failed sign-ins from this address: try again later"},
    "username": {"kk": "Пайдаланушы аты", "ru": "Имя пользователя", "en": "User name"},
    "password": {"kk": "Құпиясөз", "ru": "Пароль", "en": "Password"},
    "tasks": {"kk": "Тапсырмалар", "ru": "Задачи", "en": "Tasks"},
    "sign_queue": {"kk": "Қол қоюға", "ru": "На подпись", "en": "To sign"},
    "notifications": {"kk": "Хабарламалар", "ru": "Уведомления", "en": "Notifications"},
    "task": {"kk": "Тапсырма", "ru": "Задача", "en": "Task"},
    "application": {"kk": "Өтініш", "ru": "Заявление", "en": "Application"},
    "applicant": {"kk": "Өтініш беруші", "ru": "Заявитель", "en": "Applicant"},
    "procedure": {"kk": "Рәсім", "ru": "Процедура", "en": "Procedure"},
    "subtype": {"kk": "Кіші түр", "ru": "Подвид", "en": "Subtype"},
    "status": {"kk": "Мәртебе", "ru": "Статус", "en": "Status"},
    "due": {"kk": "Мерзімі", "ru": "Срок", "en": "Due"},
    "days_left": {"kk": "Қалған жұмыс күндері", "ru": "Осталось рабочих дней", "en": "Working days left"},
    "overdue": {"kk": "Мерзімі өтті", "ru": "Просрочено", "en": "Overdue"},
    "clause": {"kk": "Тармақ", "ru": "Пункт", "en": "Clause"},
    "claim": {"kk": "Алу", "ru": "Взять", "en": "Claim"},
    "unclaim": {"kk": "Қайтару", "ru": "Вернуть в очередь", "en": "Unclaim"},
    "assign": {"kk": "Тағайындау", "ru": "Назначить", "en": "Assign"},
    "open": {"kk": "Ашу", "ru": "Открыть", "en": "Open"},
    "claimed_by": {"kk": "Орындаушы", "ru": "Исполнитель", "en": "Claimed by"},
    "filter": {"kk": "Сүзу", "ru": "Фильтр", "en": "Filter"},
    "all": {"kk": "Барлығы", "ru": "Все", "en": "All"},
    "mine": {"kk": "Менікі", "ru": "Мои", "en": "Mine"},
    "queue": {"kk": "Кезек", "ru": "Очередь", "en": "Queue"},
    "due_before": {"kk": "Мерзімі дейін", "ru": "Срок до", "en": "Due before"},
    "findings": {"kk": "Автоматты тексерулер", "ru": "Автоматические проверки", "en": "Automated findings"},
    "terms": {"kk": "Заңды мерзімдер", "ru": "Правовые сроки", "en": "Legal terms"},
    "history": {"kk": "Тарих", "ru": "История", "en": "History"},
    "decision": {"kk": "Шешім", "ru": "Решение", "en": "Decision"},
    "complete": {"kk": "Аяқтау", "ru": "Завершить", "en": "Complete"},
    "save_draft": {"kk": "Жобаны сақтау", "ru": "Сохранить черновик", "en": "Save draft"},
    "draft_saved": {"kk": "Жоба сақталды", "ru": "Черновик сохранён", "en": "Draft saved"},
    "done": {"kk": "Тапсырма аяқталды", "ru": "Задача завершена", "en": "Task completed"},
    "fix_errors": {"kk": "Қателерді түзетіңіз", "ru": "Исправьте ошибки", "en": "Please correct the errors"},
    "preview": {"kk": "Құжатты алдын ала қарау", "ru": "Предпросмотр документа", "en": "Document preview"},
    "met": {"kk": "сақталды", "ru": "соблюдён", "en": "kept"},
    "breached": {"kk": "бұзылды", "ru": "нарушен", "en": "breached"},
    "pending": {"kk": "күтуде", "ru": "ожидается", "en": "pending"},
    "not_completed": {"kk": "аяқталмады", "ru": "не завершён", "en": "not completed"},
    "eds_title": {"kk": "NCALayer арқылы ЭЦҚ-мен қол қою", "ru": "Подписание ЭЦП через NCALayer",
                  "en": "Sign with EDS through NCALayer"},
    "eds_hint": {"kk": "Акт сіздің жеке ЭЦҚ кілтіңізбен қол қойылады; кілт сіздің компьютеріңізден шықпайды.",
                 "ru": "Акт подписывается Вашим личным ключом ЭЦП; ключ не покидает Ваш компьютер.",
                 "en": "The act is signed with your own EDS key; the key never leaves your computer."},
    "eds_sign": {"kk": "ЭЦҚ-мен қол қою", "ru": "Подписать ЭЦП", "en": "Sign with EDS"},
    "eds_connecting": {"kk": "NCALayer-ге қосылу…", "ru": "Подключение к NCALayer…", "en": "Connecting to NCALayer…"},
    "eds_signing": {"kk": "Қол қойылуда…", "ru": "Подписание…", "en": "Signing…"},
    "eds_failed": {"kk": "Қол қою сәтсіз аяқталды", "ru": "Подписать не удалось", "en": "Signing failed"},
    "no_tasks": {"kk": "Тапсырма жоқ", "ru": "Задач нет", "en": "No tasks"},
    "data_centers": {"kk": "Деректер орталықтары", "ru": "Центры обработки данных", "en": "Data centres"},
    "qualification": {"kk": "Біліктілік мәліметтері (А11)", "ru": "Квалификационные сведения (А11)",
                      "en": "Qualification information (A11)"},
    "attachments": {"kk": "Тіркемелер", "ru": "Вложения", "en": "Attachments"},
    "page": {"kk": "Бет", "ru": "Страница", "en": "Page"},
    "next": {"kk": "Келесі", "ru": "Далее", "en": "Next"},
    "prev": {"kk": "Алдыңғы", "ru": "Назад", "en": "Previous"},
    "mark_read": {"kk": "Оқылды", "ru": "Прочитано", "en": "Mark read"},
    "deadline_tomorrow": {"kk": "Мерзімі ертең", "ru": "Срок завтра", "en": "Due tomorrow"},
    "single_buyer": {"kk": "бірыңғай сатып алушы", "ru": "единый закупщик", "en": "single buyer"},
    "isolated_generator": {"kk": "оқшауланған генератор", "ru": "изолированный генератор",
                           "en": "isolated generator"},
    "audit": {"kk": "Аудит", "ru": "Аудит", "en": "Audit"},
    "instances": {"kk": "Процестер", "ru": "Экземпляры процессов", "en": "Process instances"},
    "reports": {"kk": "Есептер", "ru": "Отчёты", "en": "Reports"},
    "search": {"kk": "Іздеу", "ru": "Поиск", "en": "Search"},
    "export": {"kk": "Экспорт", "ru": "Экспорт", "en": "Export"},
    "outcome": {"kk": "Нәтиже", "ru": "Результат", "en": "Outcome"},
    "started": {"kk": "Басталды", "ru": "Начат", "en": "Started"},
    "ended": {"kk": "Аяқталды", "ru": "Завершён", "en": "Ended"},
    "version": {"kk": "Нұсқа", "ru": "Версия", "en": "Version"},
    "diagram": {"kk": "Диаграмма (өткен жол)", "ru": "Диаграмма (пройденный путь)", "en": "Diagram (path taken)"},
    "events": {"kk": "Оқиғалар", "ru": "События", "en": "Events"},
    "time": {"kk": "Уақыт", "ru": "Время", "en": "Time"},
    "actor": {"kk": "Орындаушы", "ru": "Исполнитель", "en": "Actor"},
    "what": {"kk": "Не жасалды", "ru": "Что сделано", "en": "What"},
    "element": {"kk": "Элемент", "ru": "Элемент", "en": "Element"},
    "data": {"kk": "Деректер", "ru": "Данные", "en": "Data"},
    "documents": {"kk": "Құжаттар", "ru": "Документы", "en": "Documents"},
    "signature": {"kk": "Қолтаңба", "ru": "Подпись", "en": "Signature"},
    "valid": {"kk": "жарамды", "ru": "действительна", "en": "valid"},
    "invalid": {"kk": "жарамсыз", "ru": "недействительна", "en": "invalid"},
    "notices": {"kk": "Өтініш берушіге хабарламалар", "ru": "Уведомления заявителю", "en": "Notices to the applicant"},
    "integrity": {"kk": "Тұтастықты тексеру", "ru": "Проверка целостности", "en": "Integrity check"},
    "verify_instance": {"kk": "Осы процесті тексеру", "ru": "Проверить этот экземпляр", "en": "Verify this instance"},
    "verify_all": {"kk": "Барлығын тексеру", "ru": "Проверить всё", "en": "Verify everything"},
    "chain_ok": {"kk": "Тізбек бұзылмаған", "ru": "Цепочка не нарушена", "en": "The chain is intact"},
    "chain_bad": {"kk": "Тізбек бұзылған", "ru": "Цепочка нарушена", "en": "The chain is broken"},
    "terms_report": {"kk": "Мерзімдер: сақталды / бұзылды", "ru": "Сроки: соблюдены / нарушены",
                     "en": "Terms kept vs breached"},
    "decision_days": {"kk": "Шешімге дейінгі жұмыс күндері", "ru": "Рабочих дней до решения",
                      "en": "Working days to decision"},
    "average": {"kk": "Орташа", "ru": "Среднее", "en": "Average"},
    "grounds_report": {"kk": "Бас тарту негіздері", "ru": "Основания отказов", "en": "Refusals by ground"},
    "month": {"kk": "Ай", "ru": "Месяц", "en": "Month"},
    "count": {"kk": "Саны", "ru": "Количество", "en": "Count"},
    "feed": {"kk": "Мониторинг оқиғалары", "ru": "События мониторинга", "en": "Monitoring feed"},
    "processes": {"kk": "Процестер каталогы", "ru": "Каталог процессов", "en": "Process catalogue"},
    "deployed": {"kk": "Орналастырылды", "ru": "Развёрнута", "en": "Deployed"},
    "edit": {"kk": "Өңдеу", "ru": "Редактировать", "en": "Edit"},
    "validate": {"kk": "Тексеру", "ru": "Проверить", "en": "Validate"},
    "deploy": {"kk": "Орналастыру", "ru": "Развернуть", "en": "Deploy"},
    "name": {"kk": "Атауы", "ru": "Наименование", "en": "Name"},
    "forbidden": {"kk": "Рұқсат жоқ", "ru": "Нет доступа", "en": "Not allowed"},
}


def language() -> str:
    lang = session.get("lang")
    return lang if lang in LANGUAGES else "ru"


def t(key: str) -> str:
    texts = TEXTS.get(key)
    return texts.get(language(), texts["ru"]) if texts else key


def label(labels: Any, fallback: str = "") -> str:
    """Pick the current language from an ``x-labels``-style dict."""
    if isinstance(labels, dict):
        return str(labels.get(language()) or labels.get("ru") or labels.get("en") or fallback)
    return fallback
