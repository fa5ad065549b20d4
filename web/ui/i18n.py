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
