"""Numbers as they are written in Chinese government texts, parsed to exact ``Decimal``.

Handles Arabic digits (thousands separators, decimals, full-width forms), Chinese
numerals (everyday, traditional and financial characters), mixed forms (``1.99万``,
``1万2千``, ``一点九万``), ``百分之…`` percentages and ranges (``3-5万``). Layout
whitespace and line breaks inside a number are dropped before parsing (``1.5 万``,
``25.79\\n万``), because newspaper columns break lines anywhere (GUIDELINE §5, N5).

Everything is pure: module-level tables are immutable and caches are ``lru_cache``.
"""
from __future__ import annotations

import re
from decimal import Context, Decimal
from functools import lru_cache
from types import MappingProxyType

from ..errors import MinshengError

__all__ = ["NumberFormatError", "parse_number", "parse_quantity", "split_unit_magnitude",
           "int_to_chinese"]


class NumberFormatError(MinshengError, ValueError):
    """Text that is not a number (or a range of numbers); the message quotes the text."""


# Exact arithmetic: far more precision than any written number needs.
_CTX = Context(prec=120)

# Variant characters → canonical ones; invisible characters removed.
_CANON = MappingProxyType(str.maketrans({
    **{chr(0xFF10 + i): str(i) for i in range(10)},      # ０-９
    "．": ".", "，": ",", "點": "点",
    "壹": "一", "贰": "二", "貳": "二", "兩": "两", "叁": "三", "參": "三", "叄": "三",
    "肆": "四", "伍": "五", "陆": "六", "陸": "六", "柒": "七", "捌": "八", "玖": "九",
    "拾": "十", "佰": "百", "仟": "千", "萬": "万", "億": "亿", "○": "〇", "廿": "二十",
    "卅": "三十",
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
}))
_WS = re.compile(r"\s+")

_DIGIT = MappingProxyType({"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
                           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9})
_SMALL_UNIT = MappingProxyType({"十": 10, "百": 100, "千": 1000})
_WAN = Decimal(10_000)
_YI = Decimal(100_000_000)

_ARABIC = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
_ARABIC_RE = re.compile(_ARABIC)
_SMALL_TOKEN = re.compile(rf"({_ARABIC})|([零〇])|([一二两三四五六七八九])|([十百千])")
_CN_DIGITS_RE = re.compile(r"[零〇一二两三四五六七八九]+")
_FRACTION_RE = re.compile(r"[零〇一二两三四五六七八九0-9]+")
# 三四 / 两三 / 三五 (+ magnitude): an approximate range written as two adjacent digits.
_PAIR_RE = re.compile(r"([一两二三四五六七八])([二三四五六七八九])([十百千]?[万亿]*)")
_RANGE_SEP = re.compile(r"[-－‐‑‒–—―~～〜]+|至|到")
_TRAILING_MAG = re.compile(r"(.*?)([十百千]?[万亿]+|[百千])")
_MAG_CHARS = frozenset("十百千万亿")


def _canon(text: str) -> str:
    """Canonical characters, without whitespace or invisible characters."""
    return _WS.sub("", text.translate(_CANON))


def _fail(text: str, why: str = "not a number") -> NumberFormatError:
    return NumberFormatError(f"{text!r}: {why}")


def _tidy(value: Decimal) -> Decimal:
    """An integral value as an exponent-0 Decimal, else without trailing zeros."""
    integral = value.to_integral_value()
    if value == integral:
        return Decimal(int(integral))
    return value.normalize(_CTX)


def _is_pair(s: str) -> bool:
    m = _PAIR_RE.fullmatch(s)
    if m is None:
        return False
    a, b = _DIGIT[m.group(1)], _DIGIT[m.group(2)]
    return b == a + 1 or (a, b) == (3, 5)


def _parse_small(s: str, orig: str) -> Decimal:
    """A number below 万 (may carry a decimal part, Arabic or with 点)."""
    if not s:
        raise _fail(orig)
    if "点" in s:
        ip, _, fp = s.partition("点")
        if not ip or not _FRACTION_RE.fullmatch(fp):
            raise _fail(orig)
        frac = "".join(str(_DIGIT[c]) if c in _DIGIT else c for c in fp)
        return _CTX.add(_parse_small(ip, orig), Decimal("0." + frac))
    if _ARABIC_RE.fullmatch(s):
        return Decimal(s.replace(",", ""))
    if _CN_DIGITS_RE.fullmatch(s):
        if _is_pair(s):
            raise _fail(orig, "an approximate range (use parse_quantity)")
        return Decimal("".join(str(_DIGIT[c]) for c in s))   # positional: 二〇二五, 零五
    total = Decimal(0)
    pending: Decimal | None = None
    pending_simple = False          # a single digit, may stand for the next lower unit
    last_unit: int | None = None
    zero_since_unit = False
    pos = 0
    for m in _SMALL_TOKEN.finditer(s):
        if m.start() != pos:
            raise _fail(orig)
        pos = m.end()
        arabic, zero, digit, unit = m.groups()
        if arabic is not None or digit is not None:
            if pending is not None:
                raise _fail(orig)
            if arabic is not None:
                pending = Decimal(arabic.replace(",", ""))
                pending_simple = len(arabic) == 1
            else:
                pending = Decimal(_DIGIT[digit])
                pending_simple = True
        elif zero is not None:
            if pending is not None:
                raise _fail(orig)
            zero_since_unit = True
        else:
            u = _SMALL_UNIT[unit]
            if last_unit is not None and u >= last_unit:
                raise _fail(orig)
            total = _CTX.add(total, _CTX.multiply(pending if pending is not None
                                                  else Decimal(1), Decimal(u)))
            pending, last_unit, zero_since_unit = None, u, False
    if pos != len(s):
        raise _fail(orig)
    if pending is not None:
        if (last_unit is not None and last_unit >= 100 and not zero_since_unit
                and pending_simple and pending != 0):
            pending = _CTX.multiply(pending, Decimal(last_unit // 10))   # 一千五 = 1500
        total = _CTX.add(total, pending)
    return total


def _parse_right(r: str, mag: Decimal, orig: str) -> Decimal:
    """The part after 万/亿: ``五`` alone abbreviates the next lower unit (一万五 = 15000)."""
    if not r:
        return Decimal(0)
    if len(r) == 1 and (r in "123456789" or (r in _DIGIT and _DIGIT[r] != 0)):
        return _CTX.multiply(Decimal(_DIGIT.get(r, r)), mag / 10)
    value = _parse_wan(r, orig) if mag == _YI else _parse_small(r, orig)
    if value >= mag:
        raise _fail(orig)
    return value


def _parse_wan(s: str, orig: str) -> Decimal:
    """A number without 亿."""
    i = s.rfind("万")
    if i < 0:
        return _parse_small(s, orig)
    left, right = s[:i], s[i + 1:]
    if "万" in left:
        raise _fail(orig)
    lv = _parse_small(left, orig) if left else Decimal(1)
    return _CTX.add(_CTX.multiply(lv, _WAN), _parse_right(right, _WAN, orig))


def _parse_big(s: str, orig: str) -> Decimal:
    """Any number: split at the last 亿 (the left side may hold 万: 一万亿)."""
    i = s.rfind("亿")
    if i < 0:
        return _parse_wan(s, orig)
    left, right = s[:i], s[i + 1:]
    if "亿" in left and not left.endswith("亿"):
        raise _fail(orig)                  # only 亿亿 (10**16) may stack
    lv = _parse_big(left, orig) if left else Decimal(1)
    return _CTX.add(_CTX.multiply(lv, _YI), _parse_right(right, _YI, orig))


@lru_cache(maxsize=8192)
def parse_number(text: str) -> Decimal:
    """The exact value of a written number.

    ``"1.99万"`` → 19900, ``"47.1亿"`` → 4710000000, ``"一千二百"`` → 1200,
    ``"十万零一千"`` → 101000, ``"百分之零点五"`` → 0.5, ``"１，２００"`` → 1200.
    Raises :class:`NumberFormatError` for anything else (including ranges).
    """
    if not isinstance(text, str):
        raise NumberFormatError(f"{text!r}: not a string")
    s = _canon(text)
    if s.startswith("百分之"):
        s = s[3:]
    if not s:
        raise _fail(text)
    return _tidy(_parse_big(s, text))


def _magnitude_of(s: str) -> bool:
    return any(c in _MAG_CHARS for c in s)


@lru_cache(maxsize=8192)
def parse_quantity(text: str) -> tuple[Decimal, Decimal | None]:
    """A number or a range: ``(value, value_max)``, ``value_max`` None for one number.

    Separators: ``- － ～ ~ — 至 到``; a magnitude written only on the upper end applies
    to both ends when the lower end is smaller (``3-5万`` → 30000, 50000; but
    ``一至一百`` → 1, 100). Two adjacent digits are an approximate range
    (``三四十`` → 30, 40). The ends are returned as written, even if reversed.
    """
    if not isinstance(text, str):
        raise NumberFormatError(f"{text!r}: not a string")
    s = _canon(text)
    m = _PAIR_RE.fullmatch(s)
    if m is not None and _is_pair(s):
        mag = parse_number(m.group(3)) if m.group(3) else Decimal(1)
        return (_tidy(_DIGIT[m.group(1)] * mag), _tidy(_DIGIT[m.group(2)] * mag))
    parts = _RANGE_SEP.split(s)
    if len(parts) == 1:
        return parse_number(s), None
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise _fail(text, "not a number or a range")
    left, right = parts
    try:
        hi = parse_number(right)
        lo = parse_number(left)
    except NumberFormatError:
        raise _fail(text, "not a number or a range") from None
    tail = _TRAILING_MAG.fullmatch(right)
    if tail is not None and tail.group(1) and not _magnitude_of(left):
        try:
            core = parse_number(tail.group(1))
        except NumberFormatError:
            core = None
        if core is not None and lo < core:
            lo = parse_number(left + tail.group(2))
    return lo, hi


# Units that begin with 千/百 but are not magnitudes (SI prefixes, 百分点).
_PREFIXED_UNITS = ("千瓦", "千米", "千克", "千伏", "千帕", "千焦", "千卡", "千赫", "千兆",
                   "千字节", "百分点", "百分比", "百分号", "百兆")
_UNIT_MAG_RE = re.compile(r"([十百千]?)([万萬亿億]+)|([百千])")
_MAG_VALUE = MappingProxyType({"十": 10, "百": 100, "千": 1000, "万": 10_000, "萬": 10_000,
                               "亿": 100_000_000, "億": 100_000_000})
_BRACKETS = (("(", ")"), ("（", "）"), ("[", "]"), ("【", "】"), ("〔", "〕"))


@lru_cache(maxsize=4096)
def split_unit_magnitude(unit: str) -> tuple[str, Decimal]:
    """Split a leading magnitude off a unit: ``"万元"`` → ``("元", 10000)``.

    ``千瓦``/``千米``/``千克``/``百分点``… keep their 千/百 (``"万千瓦"`` → ``("千瓦", 10000)``);
    ``"%"``/``"％"`` → ``("%", 1)``; a unit that is only a magnitude (``"万"``) → ``("", 10000)``;
    a unit with no magnitude → ``(unit, 1)``.
    Whitespace and an enclosing bracket pair (a column header's ``（萬元）``) are dropped.
    """
    u = _WS.sub("", unit)
    for op, cl in _BRACKETS:
        if len(u) > 2 and u.startswith(op) and u.endswith(cl):
            u = u[1:-1]
            break
    if u in ("%", "％"):
        return "%", Decimal(1)
    if u.startswith(_PREFIXED_UNITS):
        return u, Decimal(1)
    m = _UNIT_MAG_RE.match(u)
    if m is None:
        return u, Decimal(1)
    mult = 1
    for c in m.group(0):
        mult *= _MAG_VALUE[c]
    return u[m.end():], Decimal(mult)


_CN_DIGIT_CHARS = "零一二三四五六七八九"
_MAX_CHINESE = 10 ** 16


def _group(g: int, leading: bool) -> str:
    """0 < g < 10000; ``leading`` spells 10-19 as 十… (else 一十…)."""
    if leading and 10 <= g < 20:
        return "十" + (_CN_DIGIT_CHARS[g - 10] if g > 10 else "")
    out: list[str] = []
    zero = False
    for unit, place in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        d = g // place % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_CN_DIGIT_CHARS[d] + unit)
    return "".join(out)


def _spell(n: int, leading: bool) -> str:
    if n >= 100_000_000:
        hi, lo = divmod(n, 100_000_000)
        head = _spell(hi, leading) + "亿"
        if lo == 0:
            return head
        return head + ("零" if lo < 10_000_000 else "") + _spell(lo, False)
    if n >= 10_000:
        hi, lo = divmod(n, 10_000)
        head = _group(hi, leading) + "万"
        if lo == 0:
            return head
        return head + ("零" if lo < 1000 else "") + _group(lo, False)
    return _group(n, leading)


def int_to_chinese(n: int) -> str:
    """The standard Chinese spelling of ``0 <= n <= 10**16``.

    ``10`` → 十, ``101000`` → 十万一千, ``100005`` → 十万零五, ``10**12`` → 一万亿.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"int_to_chinese expects an int, got {n!r}")
    if n < 0 or n > _MAX_CHINESE:
        raise ValueError(f"int_to_chinese: {n} is out of range 0..10**16")
    if n == 0:
        return "零"
    return _spell(n, True)
