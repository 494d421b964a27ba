"""The commitment record: one quantified target or result, with its attributes."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

STATUSES = ("planned", "achieved")
COMPARATORS = ("=", ">=", ">", "<=", "<", "~")
FIELDS = ("quantity", "value", "value_max", "unit", "comparator", "status", "year",
          "deadline", "deadline_text", "departments", "task")


@dataclass(frozen=True)
class SpanRef:
    """A character span of the input text: ``text == input[start:end]``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SpanRef":
        return cls(int(data["start"]), int(data["end"]), str(data["text"]))


def json_number(value: Decimal | None) -> int | float | None:
    """A Decimal as the JSON number a reader expects: int when integral, else float."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


@dataclass
class Commitment:
    """A quantity that states a target (planned) or a result (achieved) of government work.

    Values are ``Decimal`` inside; :meth:`to_dict` gives JSON numbers and ISO dates.
    """

    quantity: SpanRef
    value: Decimal | None
    value_max: Decimal | None = None
    unit: str | None = None
    comparator: str = "="
    status: str = "planned"
    year: int | None = None
    deadline: date | None = None
    deadline_text: str | None = None
    departments: list[SpanRef] = field(default_factory=list)
    task: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The public record, with exactly the keys of :data:`FIELDS`."""
        return {
            "quantity": self.quantity.to_dict(),
            "value": json_number(self.value),
            "value_max": json_number(self.value_max),
            "unit": self.unit,
            "comparator": self.comparator,
            "status": self.status,
            "year": self.year,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_text": self.deadline_text,
            "departments": [d.to_dict() for d in self.departments],
            "task": self.task,
        }

    def to_storable(self) -> dict[str, Any]:
        """A msgpack/JSON-safe dict that keeps exact decimals (for ``Doc.user_data``)."""
        data = self.to_dict()
        data["value"] = None if self.value is None else str(self.value)
        data["value_max"] = None if self.value_max is None else str(self.value_max)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Commitment":
        """Inverse of :meth:`to_dict` / :meth:`to_storable`."""
        def dec(v: Any) -> Decimal | None:
            return None if v is None else Decimal(str(v))

        deadline = data.get("deadline")
        return cls(
            quantity=SpanRef.from_dict(data["quantity"]),
            value=dec(data.get("value")),
            value_max=dec(data.get("value_max")),
            unit=data.get("unit"),
            comparator=data.get("comparator", "="),
            status=data.get("status", "planned"),
            year=data.get("year"),
            deadline=date.fromisoformat(deadline) if deadline else None,
            deadline_text=data.get("deadline_text"),
            departments=[SpanRef.from_dict(d) for d in data.get("departments", [])],
            task=data.get("task", ""),
        )
