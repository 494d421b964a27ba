"""Comparator-aware verdicts: floors, caps, hedged reports, ranges."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from minsheng_nlp.tracking.verdicts import MET, NOT_MET, UNCLEAR, ratio, reported_bounds, verdict


@pytest.mark.parametrize("planned, comparator, reported, reported_comparator, expected", [
    # 城镇新增就业4.5万人 → 4.71万人
    (D(45000), "=", D(47100), "=", MET),
    # 改造城镇老旧小区120个 → 开工改造98个
    (D(120), "=", D(98), "=", NOT_MET),
    # exactly the target: 改造农村危桥40座 → 40座
    (D(40), "=", D(40), "=", MET),
    # 培训1200名以上 (>=) → 1200名
    (D(1200), ">=", D(1200), "=", MET),
    # 规划年产量超过15万辆 (>) is not met by exactly 15万
    (D(150000), ">", D(150000), "=", NOT_MET),
    # 打造200个左右 (~) is met by 200 or more
    (D(200), "~", D(203), "=", MET),
    # caps: 城镇调查失业率控制在5.5%以内 → 5.2% / 5.8%
    (D("5.5"), "<=", D("5.2"), "=", MET),
    (D("5.5"), "<=", D("5.8"), "=", NOT_MET),
    (D("5.5"), "<=", D("5.5"), "=", MET),
    # 办结时间压缩至3个工作日内 → 不超过3个工作日 (a reported cap inside the planned cap)
    (D(3), "<=", D(3), "<=", MET),
    # a strict cap (低于8%) is not met by exactly 8%
    (D(8), "<", D(8), "=", NOT_MET),
    # hedged reports: 改造7000余户 (>) against 7000; 不足6500户 (<) against 7000
    (D(7000), "=", D(7000), ">", MET),
    (D(7000), "=", D(6500), "<", NOT_MET),
    # 不足8000人 against 7000: the report allows both
    (D(7000), "=", D(8000), "<", UNCLEAR),
    # 超过5% reported against a cap of 5%: never within it
    (D(5), "<=", D(5), ">", NOT_MET),
    # 近6200人次 (~) is read as 6200
    (D(6000), "=", D(6200), "~", MET),
])
def test_verdict(planned, comparator, reported, reported_comparator, expected) -> None:
    assert verdict(planned, comparator, reported, reported_comparator) == expected


def test_a_planned_range_is_a_floor_at_its_lower_end_and_a_cap_at_its_upper_end() -> None:
    # 新增就业岗位3-5万个 → 3.2万个: met
    assert verdict(D(30000), "=", D(32000), planned_max=D(50000)) == MET
    assert verdict(D(30000), "=", D(29000), planned_max=D(50000)) == NOT_MET
    # 平均办理时间控制在3-5天 (cap): 4天 met, 6天 not met
    assert verdict(D(3), "<=", D(4), planned_max=D(5)) == MET
    assert verdict(D(3), "<=", D(6), planned_max=D(5)) == NOT_MET


def test_bounds_and_ratio() -> None:
    b = reported_bounds(D(7000), ">")
    assert (b.low, b.low_closed, b.high) == (D(7000), False, None)
    assert reported_bounds(D(5), "~") == reported_bounds(D(5), "=")
    assert ratio(D(257900), D(230000)) == pytest.approx(1.1213, abs=1e-4)
    assert ratio(D(5), D(0)) is None
