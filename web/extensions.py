"""Flask extensions, created unbound and attached in the app factory."""

from __future__ import annotations

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from engine.store.tables import metadata

db = SQLAlchemy(metadata=metadata)
migrate = Migrate()
