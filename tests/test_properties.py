"""Property tests on arbitrary text: extraction never raises, offsets are exact, runs repeat."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

import minsheng_nlp

NLP = minsheng_nlp.load("rules")
# Chinese report-like characters mixed with anything Unicode has
REPORTISH = st.text(alphabet=st.sampled_from(list("0123456789１２３.%-～万亿千百十一二两三年月底前内省市县局厅委办个名户套元人，。；：（）|\n 　")),
                    max_size=120)
ANY = st.text(max_size=120)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(REPORTISH, ANY, st.tuples(REPORTISH, ANY).map("".join)))
def test_extraction_is_total_exact_and_deterministic(text: str) -> None:
    doc = NLP(text)
    assert doc.text == text
    ends = [(e.start_char, e.end_char) for e in doc.ents]
    assert all(0 <= s < e <= len(text) for s, e in ends)
    assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:]))  # sorted, never overlapping
    first = [c.to_dict() for c in doc._.commitments]
    for record in first:
        q = record["quantity"]
        assert text[q["start"]:q["end"]] == q["text"]
        assert all(text[d["start"]:d["end"]] == d["text"] for d in record["departments"])
    assert [c.to_dict() for c in NLP(text)._.commitments] == first
