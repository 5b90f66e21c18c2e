"""The records of a registry (pydantic models) and the in-memory registry that holds them."""

from committee_cli.model.records import (
    KINDS,
    Committee,
    Decision,
    Duty,
    Event,
    LegalBasis,
    Organisation,
    Person,
    Position,
    RegistryConfig,
    Regulation,
    Role,
    Seat,
    Task,
    TaskStatusEntry,
)
from committee_cli.model.registry import Registry

__all__ = [
    "KINDS",
    "Committee",
    "Decision",
    "Duty",
    "Event",
    "LegalBasis",
    "Organisation",
    "Person",
    "Position",
    "Registry",
    "RegistryConfig",
    "Regulation",
    "Role",
    "Seat",
    "Task",
    "TaskStatusEntry",
]
