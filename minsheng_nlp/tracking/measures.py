"""Units as measures: which units measure the same thing, and the scale between them.

Commitment values are already normalized for Chinese magnitudes (``23万人`` → 230000
人, ``1.5亿元`` → 150000000 元, ``13.6万平方米`` → 136000 平方米), so what is left is
the unit itself: 公里 and 千米 and 米 are lengths (×1000), 亩 and 公顷 and 平方米 are
areas, % and ‰ are shares, 个 is the general classifier of any count. Units of different
kinds never compare: a percentage target is never met by a count, 元 is never 美元.

Everything is pure: the tables are immutable and the lookups are cached.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType

__all__ = ["Measure", "measure_of", "unit_variants", "scale_between", "to_plan_unit"]


@dataclass(frozen=True)
class Measure:
    """What a unit measures: ``kind`` and the ``scale`` to the kind's base unit.

    A value ``v`` in the unit is ``v * scale`` in the base unit of ``kind``. Counts have
    kinds ``count:<classifier>`` (``count:persons`` for 人/名/位/员); ``generic`` marks the
    general classifier 个 and a missing unit, which count anything.
    """

    kind: str
    scale: Decimal
    generic: bool = False


def _d(value: str | int) -> Decimal:
    return Decimal(value)


# unit → (kind, scale to the kind's base unit)
_MEASURES = MappingProxyType({
    # money: one kind per currency (no exchange rates)
    "元": ("money:CNY", _d(1)), "人民币": ("money:CNY", _d(1)),
    "美元": ("money:USD", _d(1)), "欧元": ("money:EUR", _d(1)), "港元": ("money:HKD", _d(1)),
    # length (base: metre)
    "米": ("length", _d(1)), "延米": ("length", _d(1)), "公里": ("length", _d(1000)),
    "千米": ("length", _d(1000)), "厘米": ("length", _d("0.01")), "毫米": ("length", _d("0.001")),
    # area (base: square metre)
    "平方米": ("area", _d(1)), "平米": ("area", _d(1)), "平方公里": ("area", _d(1_000_000)),
    "平方千米": ("area", _d(1_000_000)), "公顷": ("area", _d(10_000)),
    "千公顷": ("area", _d(10_000_000)), "亩": ("area", _d(10_000) / _d(15)),
    # volume (base: cubic metre)
    "立方米": ("volume", _d(1)), "方": ("volume", _d(1)), "升": ("volume", _d("0.001")),
    # mass (base: kilogram)
    "吨": ("mass", _d(1000)), "千克": ("mass", _d(1)), "公斤": ("mass", _d(1)),
    "斤": ("mass", _d("0.5")), "克": ("mass", _d("0.001")),
    # power (base: watt) and energy (base: kilowatt-hour)
    "瓦": ("power", _d(1)), "千瓦": ("power", _d(1000)), "兆瓦": ("power", _d(1_000_000)),
    "吉瓦": ("power", _d(1_000_000_000)),
    "千瓦时": ("energy", _d(1)), "度": ("energy", _d(1)), "兆瓦时": ("energy", _d(1000)),
    # shares and ratios
    "%": ("percent", _d(1)), "‰": ("percent", _d("0.1")),
    "个百分点": ("points", _d(1)), "百分点": ("points", _d(1)),
    "倍": ("multiple", _d(1)),
    # durations
    "秒": ("duration", _d(1)), "分钟": ("duration", _d(60)), "小时": ("duration", _d(3600)),
    "个小时": ("duration", _d(3600)), "天": ("duration", _d(86_400)), "日": ("duration", _d(86_400)),
    "周": ("duration", _d(604_800)),
    "个工作日": ("workdays", _d(1)), "工作日": ("workdays", _d(1)),
    "个月": ("months", _d(1)), "年": ("months", _d(12)),
    # counts that are not objects: people, households, repeated events
    "人": ("count:persons", _d(1)), "名": ("count:persons", _d(1)), "位": ("count:persons", _d(1)),
    "员": ("count:persons", _d(1)),
    "户": ("count:households", _d(1)),
    "人次": ("count:person-times", _d(1)), "户次": ("count:household-times", _d(1)),
    "次": ("count:events", _d(1)), "场": ("count:events", _d(1)), "场次": ("count:events", _d(1)),
    "轮": ("count:events", _d(1)), "期": ("count:events", _d(1)),
    # object classifiers that name the same thing
    "座": ("count:buildings", _d(1)), "栋": ("count:buildings", _d(1)), "幢": ("count:buildings", _d(1)),
    "张": ("count:beds-or-sheets", _d(1)), "床": ("count:beds-or-sheets", _d(1)),
    "张床": ("count:beds-or-sheets", _d(1)), "床位": ("count:beds-or-sheets", _d(1)),
    "处": ("count:sites", _d(1)), "个点": ("count:sites", _d(1)), "处点": ("count:sites", _d(1)),
    "所": ("count:institutions", _d(1)), "所学校": ("count:institutions", _d(1)),
})
_GENERIC = frozenset({"个", ""})  # the general classifier, and a bare number (惠及70万农村居民)
_CJK_ONLY = re.compile(r"[\u4e00-\u9fff]+")
_BRACKETED = re.compile(r"^([^()（）]+)[(（]([^()（）]+)[)）]$")
_WS = re.compile(r"\s+")


@lru_cache(maxsize=1024)
def unit_variants(unit: str | None) -> tuple[str, ...]:
    """The readings of a unit as written: ``人(次)`` → ``("人", "人次", "次")``; ``None`` → ``("",)``."""
    u = _WS.sub("", unit or "").replace("％", "%")
    m = _BRACKETED.match(u)
    if m is None:
        return (u,)
    head, tail = m.groups()
    return tuple(dict.fromkeys((head, head + tail, tail)))


@lru_cache(maxsize=1024)
def measure_of(unit: str) -> Measure:
    """The measure of one unit reading (see :func:`unit_variants`; ``""``: no unit).

    Unknown units made only of Chinese characters are counted in their own classifier
    (``count:<unit>``); other unknown units (``GWh``, ``微克/立方米``) measure ``unit:<unit>``
    and compare only with themselves.
    """
    if unit in _GENERIC:
        return Measure("count:generic", _d(1), generic=True)
    if unit in _MEASURES:
        kind, scale = _MEASURES[unit]
        return Measure(kind, scale)
    if _CJK_ONLY.fullmatch(unit):
        return Measure(f"count:{unit}", _d(1))
    return Measure(f"unit:{unit}", _d(1))


def _pair_scale(plan: Measure, result: Measure) -> Decimal | None:
    if plan.kind == result.kind:
        return result.scale / plan.scale
    is_count = plan.kind.startswith("count:") and result.kind.startswith("count:")
    if is_count and (plan.generic or result.generic):
        return _d(1)
    return None


@lru_cache(maxsize=4096)
def scale_between(plan_unit: str | None, result_unit: str | None) -> Decimal | None:
    """The factor that turns a value in ``result_unit`` into ``plan_unit``; None: incompatible.

    ``("公里", "米")`` → 0.001; ``("元", "元")`` → 1; ``("个", "所")`` → 1 (个 counts
    anything); ``("人", "人次")`` → None; ``("%", "个")`` → None.
    """
    for p in unit_variants(plan_unit):
        for r in unit_variants(result_unit):
            scale = _pair_scale(measure_of(p), measure_of(r))
            if scale is not None:
                return scale
    return None


def to_plan_unit(value: Decimal, plan_unit: str | None, result_unit: str | None) -> Decimal | None:
    """``value`` (in ``result_unit``) expressed in ``plan_unit``; None when incompatible."""
    scale = scale_between(plan_unit, result_unit)
    return None if scale is None else value * scale
