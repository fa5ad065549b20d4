"""Flask extensions, created unbound and attached in the app factory."""

from __future__ import annotations

from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from engine import metadata

db = SQLAlchemy(metadata=metadata)
migrate = Migrate()
# Catalogs in web/translations; the locale selector is web.ui.i18n.select_locale (API: Accept-Language).
babel = Babel()
