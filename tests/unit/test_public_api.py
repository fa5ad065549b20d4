"""The engine's and the forms' public surfaces are what their package roots export, and nothing else."""

from types import ModuleType

import engine
import forms
from engine.services import admin, analyst, auditor, officer, operator


def _public(package: ModuleType) -> list[str]:
    return sorted((name for name, value in vars(package).items()
                   if not name.startswith("_") and not isinstance(value, ModuleType) and name != "annotations"),
                  key=str.casefold)


def test_every_public_name_of_the_engine_is_exported_in_sorted_order() -> None:
    assert engine.__all__ == _public(engine)


def test_every_public_name_of_forms_is_exported() -> None:
    assert sorted(forms.__all__) == sorted(_public(forms))


def test_the_facade_groups_use_cases_by_caller_and_keeps_each_group_small() -> None:
    for service in (analyst.AnalystService, officer.OfficerService, auditor.AuditorService,
                    operator.OperatorService, admin.AdminService):
        public = [n for n in vars(service) if not n.startswith("_")]
        assert 0 < len(public) <= 12, (service.__name__, public)
